//! The real server, started as its own process on 127.0.0.1:0 with a real
//! SQLite file, and tills that talk to it over HTTP.

#![allow(dead_code)]

pub mod ops;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;
use zargar_wire::{
    ChangeData, EnrollResponse, GoldPricePayload, ItemPayload, Op, PullResponse, PushRequest, PushResponse,
    SCHEMA_VERSION,
};

use ops::TillBook;

pub const BIN: &str = env!("CARGO_BIN_EXE_zargar-server");

/// Runs an admin subcommand against `db` and returns its stdout, trimmed.
pub fn admin(db: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN).arg("--db").arg(db).args(args).output().expect("run zargar-server");
    assert!(out.status.success(), "zargar-server {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").trim().to_owned()
}

/// A shop on the server: its id and the demo inventory imported.
#[derive(Debug, Clone)]
pub struct Shop {
    pub id: Uuid,
}

/// The server process. Killed (SIGKILL) when dropped.
#[derive(Debug)]
pub struct Server {
    pub dir: PathBuf,
    pub db: PathBuf,
    pub base: String,
    child: Option<Child>,
    log: Option<PathBuf>,
    _tmp: Option<tempfile::TempDir>,
}

pub fn demo_items_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/items.csv")
}

impl Server {
    /// A fresh database in a temporary directory, served on a free port.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    pub fn start_with(extra: &[&str]) -> Server {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().to_owned();
        let mut s =
            Server { db: dir.join("server.db"), dir, base: String::new(), child: None, log: None, _tmp: Some(tmp) };
        s.spawn(extra);
        s
    }

    /// A server whose log (at `info`, the default) goes to `server.log` in its directory.
    pub fn start_logging() -> Server {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().to_owned();
        let log = dir.join("server.log");
        let mut s = Server {
            db: dir.join("server.db"),
            dir,
            base: String::new(),
            child: None,
            log: Some(log),
            _tmp: Some(tmp),
        };
        s.spawn(&[]);
        s
    }

    pub fn log_text(&self) -> String {
        self.log.as_ref().map(|p| std::fs::read_to_string(p).unwrap_or_default()).unwrap_or_default()
    }

    /// (Re)starts the process on the same database.
    pub fn spawn(&mut self, extra: &[&str]) {
        // Generous limits by default: tests that are about limits set their own.
        let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
        for (flag, value) in [("--rate-per-second", "10000"), ("--rate-burst", "10000")] {
            if !extra.contains(&flag) {
                args.extend([flag, value]);
            }
        }
        args.extend_from_slice(extra);
        let (level, stderr) = match &self.log {
            Some(path) => ("info", Stdio::from(std::fs::File::create(path).expect("log file"))),
            None => ("warn", Stdio::inherit()),
        };
        let mut child = Command::new(BIN)
            .arg("--db")
            .arg(&self.db)
            .args(&args)
            .env("RUST_LOG", level)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("spawn zargar-server");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read the address");
        let base =
            line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        self.base = base.to_owned();
        self.child = Some(child);
    }

    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, then wait for the process to finish what it was doing.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut c = self.child.take().expect("running");
        let pid = c.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        c.wait().expect("wait")
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// A shop with the demo inventory and a gold price of 80,000,000 Rial.
    pub fn shop(&self, name: &str) -> Shop {
        let id: Uuid = admin(&self.db, &["tenant", "create", name]).parse().expect("tenant id");
        admin(&self.db, &["item", "import", "--tenant", &id.to_string(), demo_items_csv().to_str().expect("path")]);
        admin(&self.db, &["price", "set", "--tenant", &id.to_string(), "80000000"]);
        Shop { id }
    }

    pub fn enrol_code(&self, shop: &Shop, role: &str) -> String {
        admin(&self.db, &["device", "enroll", "--tenant", &shop.id.to_string(), "--role", role])
    }

    /// Enrols a new till (or the owner's device) of `shop`.
    pub async fn till(&self, shop: &Shop, name: &str, role: &str) -> Till {
        let code = self.enrol_code(shop, role);
        let device_id = Uuid::now_v7();
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client");
        let res = http
            .post(format!("{}/api/v1/devices/enroll", self.base))
            .json(&serde_json::json!({ "code": code, "device_id": device_id, "name": name }))
            .send()
            .await
            .expect("enrol");
        assert_eq!(res.status(), 200, "enrol: {}", res.text().await.unwrap_or_default());
        let enrolled: EnrollResponse = res.json().await.expect("enrol body");
        Till { base: self.base.clone(), http, device_id, token: enrolled.device_token, book: TillBook::default() }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A till as the server sees it: a device id, a token, and its book.
#[derive(Debug, Clone)]
pub struct Till {
    pub base: String,
    pub http: reqwest::Client,
    pub device_id: Uuid,
    pub token: String,
    pub book: TillBook,
}

/// A response read whole: status and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn push(&self) -> PushResponse {
        assert_eq!(self.status, 200, "push answered {}: {}", self.status, String::from_utf8_lossy(&self.body));
        serde_json::from_slice(&self.body).expect("push response")
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub async fn read(res: reqwest::Response) -> Reply {
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.bytes().await.expect("body").to_vec();
    Reply { status, headers, body }
}

impl Till {
    pub fn push_request(&self, ops: Vec<Op>) -> PushRequest {
        PushRequest { device_id: self.device_id, app_version: "test".into(), schema_version: SCHEMA_VERSION, ops }
    }

    pub async fn push(&self, ops: &[Op]) -> Reply {
        let body = self.push_request(ops.to_vec());
        read(
            self.http
                .post(format!("{}/api/v1/sync/push", self.base))
                .bearer_auth(&self.token)
                .json(&body)
                .send()
                .await
                .expect("push"),
        )
        .await
    }

    /// A push whose transport may fail (the server was killed): the error is the caller's to judge.
    pub async fn push_raw(&self, ops: &[Op]) -> Result<Reply, reqwest::Error> {
        let body = self.push_request(ops.to_vec());
        let res = self
            .http
            .post(format!("{}/api/v1/sync/push", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await?;
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.bytes().await?.to_vec();
        Ok(Reply { status, headers, body })
    }

    pub async fn get(&self, path: &str) -> Reply {
        read(self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.expect("get")).await
    }

    /// Pulls the whole change log and keeps the latest state of each item and the price.
    pub async fn pull_all(&self) -> (Vec<ItemPayload>, Option<GoldPricePayload>) {
        let mut cursor = String::new();
        let mut items: Vec<ItemPayload> = Vec::new();
        let mut price = None;
        for _ in 0..1000 {
            let r = self.get(&format!("/api/v1/sync/pull?cursor={cursor}")).await;
            assert_eq!(r.status, 200, "pull: {}", r.text());
            let page: PullResponse = serde_json::from_slice(&r.body).expect("pull body");
            for c in page.changes {
                match c.data {
                    ChangeData::Item(i) => {
                        items.retain(|x| x.item_id != i.item_id);
                        items.push(i);
                    }
                    ChangeData::GoldPrice(p) => price = Some(p),
                    _ => {}
                }
            }
            cursor = page.next_cursor;
            if !page.has_more {
                break;
            }
        }
        items.sort_by(|a, b| a.tag.cmp(&b.tag));
        (items, price)
    }

    /// A correctly priced sale of `items` at the shop's price.
    pub fn sale(&mut self, items: &[ItemPayload], price: &GoldPricePayload) -> Op {
        self.book.sale(items, price.price_id, price.per_gram_18k, Utc::now())
    }
}

pub fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}
