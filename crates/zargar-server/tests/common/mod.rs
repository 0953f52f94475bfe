//! The real server, started as its own process on 127.0.0.1:0 with a real
//! database, and tills that talk to it over HTTP. The database is a SQLite
//! file, or a PostgreSQL database of the server's own when
//! `ZARGAR_TEST_POSTGRES` is set (see `backend`, shared with the end-to-end
//! harness).

#![allow(dead_code)]

#[path = "../../../../tests/src/backend.rs"]
pub mod backend;
pub mod ops;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;
use zargar_wire::{
    ChangeData, EnrollResponse, GoldPricePayload, ItemPayload, Op, PullResponse, PushRequest, PushResponse,
    SCHEMA_VERSION,
};

pub use backend::Backend;
use ops::TillBook;

pub const BIN: &str = env!("CARGO_BIN_EXE_zargar-server");

/// Runs `zargar-server` with `args` alone (no database of a server's: `openapi`)
/// and returns its stdout, trimmed.
pub fn run(args: &[&str]) -> String {
    stdout_of(args, Command::new(BIN).args(args).output().expect("run zargar-server"))
}

fn stdout_of(args: &[&str], out: Output) -> String {
    assert!(out.status.success(), "zargar-server {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").trim().to_owned()
}

/// Whether the tests run on PostgreSQL (`ZARGAR_TEST_POSTGRES` is set).
pub fn on_postgres() -> bool {
    backend::postgres_wanted()
}

/// A shop on the server: its id and the demo inventory imported.
#[derive(Debug, Clone)]
pub struct Shop {
    pub id: Uuid,
}

/// The server process. Killed (SIGKILL) when dropped, then its database
/// (a PostgreSQL one is dropped with it).
#[derive(Debug)]
pub struct Server {
    /// A folder of the server's own: its SQLite file, its log, CSV files.
    pub dir: PathBuf,
    pub backend: Backend,
    pub base: String,
    child: Option<Child>,
    log: Option<PathBuf>,
    /// Variables set for the process (`start_with_env`).
    env: Vec<(String, String)>,
    _tmp: Option<tempfile::TempDir>,
}

pub fn demo_items_csv() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/items.csv")
}

impl Server {
    /// A fresh database (SQLite in a temporary directory, or PostgreSQL),
    /// served on a free port.
    pub fn start() -> Server {
        Server::start_with(&[])
    }

    pub fn start_with(extra: &[&str]) -> Server {
        let mut s = Server::new(false, &[]);
        s.spawn(extra);
        s
    }

    /// A server with these variables set (a test hook's, say).
    pub fn start_with_env(extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut s = Server::new(false, env);
        s.spawn(extra);
        s
    }

    /// A server whose log (at `info`, the default) goes to `server.log` in its directory.
    pub fn start_logging() -> Server {
        let mut s = Server::new(true, &[]);
        s.spawn(&[]);
        s
    }

    /// A server on the database `backend` makes of its folder (a bench's own choice).
    pub fn start_on(backend: impl FnOnce(&Path) -> Backend, extra: &[&str]) -> Server {
        let mut s = Server::new(false, &[]);
        s.backend = backend(&s.dir);
        s.spawn(extra);
        s
    }

    /// Not started yet: its folder and its fresh database.
    fn new(logging: bool, env: &[(&str, &str)]) -> Server {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().to_owned();
        Server {
            backend: Backend::fresh(&dir, Path::new(BIN)),
            log: logging.then(|| dir.join("server.log")),
            dir,
            base: String::new(),
            child: None,
            env: env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            _tmp: Some(tmp),
        }
    }

    /// `zargar-server` on this server's database (`--db FILE` or
    /// `--database-url URL`); add the subcommand.
    pub fn command(&self) -> Command {
        self.backend.command(Path::new(BIN))
    }

    /// The global options that point `zargar-server` at this server's database.
    pub fn db_args(&self) -> Vec<OsString> {
        self.backend.args()
    }

    /// Runs an admin subcommand on this server's database; its stdout, trimmed.
    pub fn admin(&self, args: &[&str]) -> String {
        stdout_of(args, self.admin_output(args))
    }

    /// An admin subcommand that may fail: its whole output.
    pub fn admin_output(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run zargar-server")
    }

    pub fn log_text(&self) -> String {
        self.log.as_ref().map(|p| std::fs::read_to_string(p).unwrap_or_default()).unwrap_or_default()
    }

    /// (Re)starts the process on the same database.
    pub fn spawn(&mut self, extra: &[&str]) {
        let (level, stderr) = match &self.log {
            Some(path) => ("info", Stdio::from(std::fs::File::create(path).expect("log file"))),
            None => ("warn", Stdio::inherit()),
        };
        let (child, base) = self.serve(extra, level, stderr);
        self.base = base;
        self.child = Some(child);
    }

    /// One more `serve` process on this server's database, as a second
    /// server behind a load balancer; `extra` as for `start_with`.
    pub fn another_process(&self, extra: &[&str]) -> Process {
        let (child, base) = self.serve(extra, "warn", Stdio::inherit());
        Process { base, child }
    }

    /// A `serve` process on this server's database, with its variables, a
    /// log at `level` to `stderr`, and `extra`: the process and its address.
    fn serve(&self, extra: &[&str], level: &str, stderr: Stdio) -> (Child, String) {
        // Generous limits by default: tests that are about limits set their own.
        let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
        for (flag, value) in [("--rate-per-second", "10000"), ("--rate-burst", "10000")] {
            if !extra.contains(&flag) {
                args.extend([flag, value]);
            }
        }
        args.extend_from_slice(extra);
        backend::spawn_serving(
            self.command().args(&args).envs(self.env.iter().map(|(k, v)| (k, v))).env("RUST_LOG", level).stderr(stderr),
        )
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
        let id: Uuid = self.admin(&["tenant", "create", name]).parse().expect("tenant id");
        self.admin(&["item", "import", "--tenant", &id.to_string(), demo_items_csv().to_str().expect("path")]);
        self.admin(&["price", "set", "--tenant", &id.to_string(), "80000000"]);
        Shop { id }
    }

    /// The shop `name` (as `shop` makes it) and its `devices`, `(name,
    /// role)` each, enrolled in that order.
    pub async fn shop_with<const N: usize>(&self, name: &str, devices: [(&str, &str); N]) -> (Shop, [Till; N]) {
        let shop = self.shop(name);
        let mut tills = Vec::with_capacity(N);
        for (device, role) in devices {
            tills.push(self.till(&shop, device, role).await);
        }
        (shop, tills.try_into().expect("one till per device"))
    }

    /// Imports `n` fresh pieces tagged `{prefix}-{i}` into `shop` and returns
    /// them as the server has them (pulled by `till`).
    pub async fn stock(&self, shop: &Shop, till: &Till, prefix: &str, n: usize) -> Vec<ItemPayload> {
        let csv = self.dir.join(format!("{prefix}.csv"));
        let mut text = String::from("tag,name,weight,purity,wage_percent,wage_per_gram,barcode,category,stones\n");
        for i in 0..n {
            text.push_str(&format!("{prefix}-{i},دستبند,{}.{:03},750,15,,,bracelet,0\n", 2 + i % 7, i % 1000));
        }
        std::fs::write(&csv, text).expect("csv");
        self.admin(&["item", "import", "--tenant", &shop.id.to_string(), csv.to_str().expect("path")]);
        let (items, _) = till.pull_all().await;
        items.into_iter().filter(|i| i.tag.starts_with(&format!("{prefix}-"))).collect()
    }

    /// `n` tills of `shop` ("counter 0", …), `per_till` pieces tagged
    /// `{prefix}-…` for each (till k's are `pieces[k * per_till..][..per_till]`),
    /// and the shop's price.
    pub async fn tills_with_stock(
        &self,
        shop: &Shop,
        n: usize,
        prefix: &str,
        per_till: usize,
    ) -> (Vec<Till>, Vec<ItemPayload>, GoldPricePayload) {
        let mut tills = Vec::new();
        for i in 0..n {
            tills.push(self.till(shop, &format!("counter {i}"), "till").await);
        }
        let pieces = self.stock(shop, &tills[0], prefix, n * per_till).await;
        assert_eq!(pieces.len(), n * per_till);
        let (_, price) = tills[0].pull_priced().await;
        (tills, pieces, price)
    }

    pub fn enrol_code(&self, shop: &Shop, role: &str) -> String {
        self.admin(&["device", "enroll", "--tenant", &shop.id.to_string(), "--role", role])
    }

    /// Enrols a new till (or the owner's device) of `shop`.
    pub async fn till(&self, shop: &Shop, name: &str, role: &str) -> Till {
        self.till_via(&self.base, shop, name, role).await
    }

    /// Enrols a new till of `shop` through the server process at `base`
    /// (another process on this server's database), which it then talks to.
    pub async fn till_via(&self, base: &str, shop: &Shop, name: &str, role: &str) -> Till {
        let code = self.enrol_code(shop, role);
        let device_id = Uuid::now_v7();
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client");
        let res = http
            .post(format!("{base}/api/v1/devices/enroll"))
            .json(&serde_json::json!({ "code": code, "device_id": device_id, "name": name }))
            .send()
            .await
            .expect("enrol");
        assert_eq!(res.status(), 200, "enrol: {}", res.text().await.unwrap_or_default());
        let enrolled: EnrollResponse = res.json().await.expect("enrol body");
        Till { base: base.to_owned(), http, device_id, token: enrolled.device_token, book: TillBook::default() }
    }
}

/// A further server process on a `Server`'s database (`another_process`).
/// Killed (SIGKILL) when dropped.
#[derive(Debug)]
pub struct Process {
    pub base: String,
    child: Child,
}

impl Process {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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

    /// `pull_all` of a shop that has a price: its items and that price.
    pub async fn pull_priced(&self) -> (Vec<ItemPayload>, GoldPricePayload) {
        let (items, price) = self.pull_all().await;
        (items, price.expect("the shop's price"))
    }

    /// A correctly priced sale of `items` at the shop's price.
    pub fn sale(&mut self, items: &[ItemPayload], price: &GoldPricePayload) -> Op {
        self.book.sale(items, price.price_id, price.per_gram_18k, Utc::now())
    }

    /// A sale of each of `pieces`, in pushes of `batch`.
    pub fn sales_in_batches(&mut self, pieces: &[ItemPayload], batch: usize, price: &GoldPricePayload) -> Vec<Vec<Op>> {
        pieces
            .chunks(batch)
            .map(|chunk| chunk.iter().map(|p| self.sale(std::slice::from_ref(p), price)).collect())
            .collect()
    }
}

pub fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}
