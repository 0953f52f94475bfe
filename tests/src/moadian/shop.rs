//! A test shop that sends Moadian invoices, set up as IT does it: a key and
//! certificate the stand-in trusts, the server's `[tax]` config pointing at
//! the stand-in, and `zargar-server tax identity`.

use std::path::{Path, PathBuf};
use std::process::Output;

use uuid::Uuid;

use super::{TaxService, TestSigner};
use crate::Server;

pub const MEMORY_ID: &str = "A11216";
pub const ECONOMIC_CODE: &str = "14003778990";

#[derive(Debug)]
pub struct TaxedShop {
    pub shop: Uuid,
    pub config: PathBuf,
    pub signer: TestSigner,
}

impl TaxedShop {
    /// The config (`[tax]`: the stand-in, a 2 s timeout, verdicts asked at
    /// once, retries after a second) and the shop's key and certificate in
    /// `dir`; the identity is not set yet (`set_identity`).
    pub fn prepare(shop: Uuid, service: &TaxService, dir: &Path) -> TaxedShop {
        let signer = TestSigner::new(ECONOMIC_CODE);
        service.register(MEMORY_ID, &signer.cert_pem);
        std::fs::write(dir.join("shop.key"), &signer.key_pem).expect("key");
        std::fs::write(dir.join("shop.crt"), &signer.cert_pem).expect("cert");
        let config = dir.join("server.toml");
        let toml = format!(
            "[tax]\nurl = \"{}\"\nsecret_file = \"server.secret\"\ntimeout_seconds = 2\ninquire_after_seconds = 0\nretry_seconds = 1\nevery_seconds = 1\n",
            service.base_url()
        );
        std::fs::write(&config, toml).expect("config");
        TaxedShop { shop, config, signer }
    }

    /// `zargar-server --config … tax ARGS`.
    pub fn tax(&self, server: &Server, args: &[&str]) -> Output {
        server.command().arg("--config").arg(&self.config).arg("tax").args(args).output().expect("zargar-server tax")
    }

    /// `tax identity` for the shop "طلافروشی زرین" with `memory_id`.
    pub fn identity(&self, server: &Server, memory_id: &str) -> Output {
        let dir = self.config.parent().expect("config folder");
        let (key, cert) = (dir.join("shop.key"), dir.join("shop.crt"));
        let shop = self.shop.to_string();
        #[rustfmt::skip]
        let args = [
            "identity", "--tenant", &shop, "--name", "طلافروشی زرین", "--economic-code", ECONOMIC_CODE,
            "--national-id", ECONOMIC_CODE, "--postal-code", "1234567890", "--address", "تهران، بازار بزرگ، راستهٔ زرگرها",
            "--phone", "02155555555", "--memory-id", memory_id, "--key", key.to_str().expect("path"),
            "--cert", cert.to_str().expect("path"),
        ];
        self.tax(server, &args)
    }

    /// Sets the identity, which must succeed.
    pub fn set_identity(&self, server: &Server) {
        ok(self.identity(server, MEMORY_ID));
    }

    /// One pass of the queue (`tax send`), as the serving process makes.
    pub fn pass(&self, server: &Server) -> Output {
        self.tax(server, &["send", "--tenant", &self.shop.to_string()])
    }
}

/// A command's stdout, when it succeeded.
pub fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}
