//! The end-to-end harness: the real `zargar-server` and `zargar` processes,
//! each with its own database (a till's is a SQLite file; the server's is
//! one too, or a PostgreSQL database of its own when `ZARGAR_TEST_POSTGRES`
//! is set: see `backend`), and a fault-injecting proxy between them.
//! Nothing here stands in for our own code: a till is the `zargar` binary,
//! the server is the `zargar-server` binary.

#![allow(clippy::print_stderr)]

pub mod app;
pub mod backend;
pub mod bench;
pub mod escpos;
pub mod moadian;
pub mod proxy;
pub mod watching;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use uuid::Uuid;

/// A binary of this workspace, built next to the test executable. The
/// first call brings `zargar` and `zargar-server` up to date (a no-op under
/// `cargo test --workspace`, which built them), so `cargo test -p zargar-e2e`
/// never runs stale binaries.
pub fn bin(name: &str) -> PathBuf {
    let path = bin_dir().join(name);
    assert!(path.exists(), "{} is missing", path.display());
    path
}

/// The folder the workspace's binaries are built into, after bringing
/// `zargar` and `zargar-server` up to date once.
pub fn bin_dir() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let exe = std::env::current_exe().expect("test executable");
            // target/<profile>/deps/<test>, or target/<profile>/<bench>
            let mut dir = exe.parent().expect("dir").to_path_buf();
            if dir.ends_with("deps") {
                dir.pop();
            }
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let mut cmd = Command::new(cargo);
            cmd.args(["build", "--quiet", "-p", "zargar-cli", "-p", "zargar-server"]);
            if dir.ends_with("release") {
                cmd.arg("--release");
            } else {
                // The debug server as scripts/test builds it, with its test
                // hooks (inert unless a test sets their variables): a build
                // without them would replace the binary that the server
                // crate's own tests, run after these, expect them in.
                cmd.args(["--features", "zargar-server/test-hooks"]);
            }
            let ok = cmd.status().map(|s| s.success()).unwrap_or(false);
            assert!(ok, "cargo build -p zargar-cli -p zargar-server failed");
            dir
        })
        .clone()
}

/// Waits for `check` to hold, polling; panics with `what` after `limit`.
pub fn wait_until(what: &str, limit: Duration, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < limit, "timed out after {limit:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The sync server process on its own database. Killed when dropped, then
/// its database (a PostgreSQL one is dropped with it).
#[derive(Debug)]
pub struct Server {
    pub backend: backend::Backend,
    pub addr: SocketAddr,
    child: Option<Child>,
}

impl Server {
    /// Starts a server on a fresh database: `dir/server.db`, or a
    /// PostgreSQL database when the environment asks for one.
    pub fn start(dir: &Path) -> Server {
        Server::start_on(backend::Backend::fresh(dir, &bin("zargar-server")), None)
    }

    /// Starts a server on `backend`, whatever the environment asks for (a
    /// SQLite file while the tests run on PostgreSQL, say), listening on
    /// `listen` (a port another server had) or a free port.
    pub fn start_on(backend: backend::Backend, listen: Option<SocketAddr>) -> Server {
        let mut s = Server { backend, addr: SocketAddr::from(([127, 0, 0, 1], 0)), child: None };
        s.spawn_at(listen.unwrap_or(s.addr));
        s
    }

    /// `zargar-server` on this server's database (`--db FILE` or
    /// `--database-url URL`); add the subcommand.
    pub fn command(&self) -> Command {
        self.backend.command(&bin("zargar-server"))
    }

    /// (Re)starts the process on the same database, on a new port.
    pub fn spawn(&mut self) {
        self.spawn_at(SocketAddr::from(([127, 0, 0, 1], 0)));
    }

    /// (Re)starts the process on the same database, listening on `listen`.
    pub fn spawn_at(&mut self, listen: SocketAddr) {
        let (addr, child) = self.serve(listen);
        self.addr = addr;
        self.child = Some(child);
    }

    /// A `serve` process on this server's database: its address and itself.
    fn serve(&self, listen: SocketAddr) -> (SocketAddr, Child) {
        let (child, url) = backend::spawn_serving(
            self.command()
                .args(["serve", "--listen", &listen.to_string(), "--rate-per-second", "10000", "--rate-burst", "10000"])
                // Tests and benchmarks enrol tills by the dozen, as IT does a fleet.
                .args(["--enrol-per-second", "1000"])
                .env("RUST_LOG", "warn")
                .stderr(Stdio::inherit()),
        );
        let addr = url.strip_prefix("http://").unwrap_or_else(|| panic!("not an http URL: {url}"));
        (addr.parse().expect("address"), child)
    }

    /// One more `serve` process on this server's database, on a port of
    /// its own: a second server behind a load balancer.
    pub fn another_process(&self) -> Process {
        let (addr, child) = self.serve(SocketAddr::from(([127, 0, 0, 1], 0)));
        Process { addr, child: Some(child) }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The process's `/metrics` page.
    pub fn metrics(&self) -> String {
        metrics_of(&self.url())
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, as `systemctl stop` does: in-flight requests finish, then
    /// the process exits (killed after 30 s). Whether it exited cleanly.
    pub fn stop(&mut self) -> bool {
        let Some(mut c) = self.child.take() else { return false };
        let _ = Command::new("kill").args(["-TERM", &c.id().to_string()]).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if let Ok(Some(status)) = c.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = c.kill();
        let _ = c.wait();
        false
    }

    /// An admin subcommand on the server's database; its stdout.
    pub fn admin(&self, args: &[&str]) -> String {
        let out = self.command().args(args).output().expect("admin");
        assert!(out.status.success(), "zargar-server {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8").trim().to_owned()
    }

    /// A shop with `tags` in stock (one CSV import) and a gold price. Its
    /// offline limits are off (0): the load and crash tests hold thousands
    /// of unsent sales, and the tests of the limits set their own.
    pub fn shop(&self, name: &str, tags: &[String], dir: &Path) -> Uuid {
        let id: Uuid = self.admin(&["tenant", "create", name]).parse().expect("tenant id");
        let tenant = id.to_string();
        let csv = dir.join(format!("items-{id}.csv"));
        std::fs::write(&csv, items_csv(tags)).expect("write csv");
        self.admin(&["item", "import", "--tenant", &tenant, csv.to_str().expect("utf-8 path")]);
        self.admin(&["price", "set", "--tenant", &tenant, "80000000"]);
        self.admin(&["settings", "--tenant", &tenant, "--max-offline-sale", "0", "--max-unsynced-total", "0"]);
        id
    }

    pub fn enrol_code(&self, shop: Uuid, role: &str) -> String {
        self.admin(&["device", "enroll", "--tenant", &shop.to_string(), "--role", role])
    }

    /// The owner's view over HTTP (export is for owners), as a script would use it.
    pub fn owner(&self, shop: Uuid) -> Owner {
        let code = self.enrol_code(shop, "owner");
        let body = serde_json::json!({"code": code, "device_id": Uuid::now_v7(), "name": "owner's laptop"});
        let v: Value =
            http_json(reqwest::Method::POST, &format!("{}/api/v1/devices/enroll", self.url()), None, Some(&body));
        Owner { token: v["device_token"].as_str().expect("token").to_owned() }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A further `serve` process on a `Server`'s database
/// (`Server::another_process`). Killed (SIGKILL) when dropped.
#[derive(Debug)]
pub struct Process {
    pub addr: SocketAddr,
    child: Option<Child>,
}

impl Process {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A blocking JSON call (the harness is synchronous; tokio is for the proxy).
fn http_json(method: reqwest::Method, url: &str, token: Option<&str>, body: Option<&Value>) -> Value {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let mut req = reqwest::Client::new().request(method, url).timeout(Duration::from_secs(60));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
        let status = res.status();
        let text = res.text().await.expect("body");
        assert!(status.is_success(), "{url} answered {status}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {text}"))
    })
}

/// The shop owner's device.
#[derive(Debug, Clone)]
pub struct Owner {
    token: String,
}

impl Owner {
    /// Every sold line on the server, one row per line, with its sync status.
    pub fn export(&self, server: &Server) -> Vec<Value> {
        let v = http_json(
            reqwest::Method::GET,
            &format!("{}/api/v1/export?format=json&from=2000-01-01&to=2999-12-31", server.url()),
            Some(&self.token),
            None,
        );
        v["rows"].as_array().expect("rows").clone()
    }

    /// The shop's price on the server (`GET /api/v1/gold-price`).
    pub fn gold_price(&self, server: &Server) -> Value {
        http_json(reqwest::Method::GET, &format!("{}/api/v1/gold-price", server.url()), Some(&self.token), None)["price"]
            .clone()
    }

    /// The server's items of the shop by tag, with their status, from a full pull.
    pub fn items(&self, server: &Server) -> std::collections::BTreeMap<String, String> {
        let mut items = std::collections::BTreeMap::new();
        let mut cursor: Option<String> = None;
        for _ in 0..10_000 {
            let mut url = format!("{}/api/v1/sync/pull?limit=1000", server.url());
            if let Some(c) = &cursor {
                url.push_str(&format!("&cursor={c}"));
            }
            let page = http_json(reqwest::Method::GET, &url, Some(&self.token), None);
            for ch in page["changes"].as_array().expect("changes") {
                if ch["entity"] == "item" {
                    let d = &ch["data"];
                    items.insert(
                        d["tag"].as_str().expect("tag").to_owned(),
                        d["status"].as_str().expect("status").to_owned(),
                    );
                }
            }
            cursor = Some(page["next_cursor"].as_str().expect("cursor").to_owned());
            if page["has_more"] != true {
                return items;
            }
        }
        panic!("pull never ended");
    }
}

/// The `/metrics` page of the server process at `url`.
pub fn metrics_of(url: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let res = reqwest::get(format!("{url}/metrics")).await.expect("GET /metrics");
        res.text().await.expect("metrics text")
    })
}

/// The tags `RING-1` … `RING-n`.
pub fn rings(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("RING-{i}")).collect()
}

/// The seed of a test's faults: `ZARGAR_E2E_SEED` when set (to replay a
/// run), else a random one.
pub fn fault_seed() -> u64 {
    std::env::var("ZARGAR_E2E_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random)
}

/// A CSV of distinct pieces for `zargar-server item import`.
pub fn items_csv(tags: &[String]) -> String {
    let mut s = String::from("tag,name,weight,purity,wage_percent,wage_per_gram,barcode,category,stones\n");
    for (n, tag) in tags.iter().enumerate() {
        s.push_str(&format!("{tag},ring {n},{}.{:03},750,{},,,ring,0\n", 2 + n % 7, (n * 113) % 1000, 12 + n % 9));
    }
    s
}

/// A till: the `zargar` binary on its own data directory.
#[derive(Debug, Clone)]
pub struct Till {
    pub dir: PathBuf,
    pub name: String,
    /// The `zargar` that runs: the workspace's build unless set (an installed
    /// `/usr/bin/zargar`).
    pub program: Option<PathBuf>,
}

impl Till {
    /// Sets up a new till in `dir`.
    pub fn init(dir: &Path, name: &str) -> Till {
        let t = Till { dir: dir.to_path_buf(), name: name.to_owned(), program: None };
        t.ok(&["init", "--device-name", name]);
        t
    }

    /// A new till in `dir`, enrolled in `shop` through `url` (the server's,
    /// or a proxy's in front of it) and synced once.
    pub fn enrolled(dir: &Path, name: &str, url: &str, server: &Server, shop: Uuid) -> Till {
        let t = Till::init(dir, name);
        t.enroll(url, &server.enrol_code(shop, "till"));
        t.sync().expect("first sync");
        t
    }

    /// A till already set up in `dir` (by the app, or an earlier run).
    pub fn open(dir: &Path) -> Till {
        Till { dir: dir.to_path_buf(), name: dir.display().to_string(), program: None }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.join("till.db")
    }

    pub fn command(&self) -> Command {
        let mut c = Command::new(self.program.clone().unwrap_or_else(|| bin("zargar")));
        c.env("ZARGAR_DATA_DIR", &self.dir).args(["--lang", "en"]);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run zargar")
    }

    /// Runs a command that must succeed; its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{}: zargar {args:?} failed: {}{}",
            self.name,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{}: {args:?} not JSON ({e}): {out}", self.name))
    }

    /// Sets the owner's name and PIN, as IT presets a till before the app's first start.
    pub fn preset_owner(&self, name: &str, pin: &str) {
        self.ok(&["owner", "set", "--name", name, "--pin", pin]);
    }

    pub fn enroll(&self, url: &str, code: &str) {
        self.ok(&["enroll", "--server", url, "--code", code]);
    }

    /// One sync round; the round's report, or the error's code.
    pub fn sync(&self) -> Result<Value, String> {
        let out = self.run(&["--json", "sync"]);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        if out.status.success() {
            Ok(v)
        } else {
            Err(v["error"]["code"].as_str().map(str::to_owned).unwrap_or_else(|| {
                format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
            }))
        }
    }

    /// Syncs until a round succeeds with nothing left pending (bounded).
    pub fn sync_until_clean(&self) {
        for _ in 0..20 {
            if self.sync().is_ok() && self.status()["pending"] == 0 {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("{} did not finish syncing: {}", self.name, self.status());
    }

    /// Sells the pieces, paying cash (change comes back); the saved sale.
    pub fn sell(&self, tags: &[&str]) -> Value {
        let mut args = vec!["sell"];
        for t in tags {
            args.extend(["--item", t]);
        }
        args.extend(["--pay", "cash=1000000000000"]);
        self.json(&args)["sale"].clone()
    }

    pub fn status(&self) -> Value {
        self.json(&["status"])
    }

    /// Every sale on the till, newest first.
    pub fn sales(&self) -> Vec<Value> {
        self.json(&["sales", "list", "--limit", "100000"]).as_array().expect("sales").clone()
    }

    pub fn conflicts(&self, all: bool) -> Vec<Value> {
        let v = if all { self.json(&["conflicts", "list", "--all"]) } else { self.json(&["conflicts", "list"]) };
        v.as_array().expect("conflicts").clone()
    }

    pub fn item_status(&self, tag: &str) -> String {
        self.json(&["item", "show", tag])["status"].as_str().expect("status").to_owned()
    }

    /// `zargar sync --watch --json` in the background.
    pub fn watch(&self, interval_secs: u64) -> Child {
        self.command()
            .args(["--json", "sync", "--watch", "--interval", &interval_secs.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn zargar sync --watch")
    }
}
