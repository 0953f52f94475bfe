//! IT's whole path with the real packages, as root, on this machine:
//! build and sign a release with throwaway keys (`scripts/release`), verify
//! it (`zargar verify-bundle`, Debian's `minisign -V`), refuse a changed
//! byte, lint both packages, publish a signed apt repository on 127.0.0.1
//! and see apt refuse an altered and a wrongly signed copy of it, install
//! both packages from it with `signed-by`, run the packaged server as its
//! own user with its packaged config, roll out a till with a fleet preset
//! and sell on the installed app through WebDriver, record 3 sales with the
//! server down and `apt-get upgrade` to the next version (the 3 sales stay
//! pending and reach the server once each), update in the app (a tampered
//! package refused with the Persian message, the signed one installed), and
//! finally remove versus purge.
//!
//! It changes the system (apt, dpkg, /etc/zargar, /usr/bin), so it runs in
//! CI (`CI=true`) or when asked (`ZARGAR_INSTALL_TESTS=1`) and otherwise
//! says plainly that it was skipped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use zargar_e2e::app::{App, Display, keys};
use zargar_e2e::{Till, bin, wait_until};

const LONG: Duration = Duration::from_secs(90);
const PIN: &str = "1379";
const SHOP: &str = "طلافروشی بسته‌ها";

fn enabled() -> bool {
    let on = |v: &str| std::env::var(v).map(|s| !s.is_empty() && s != "0" && s != "false").unwrap_or(false);
    on("CI") || on("ZARGAR_INSTALL_TESTS")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().expect("repo root")
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"))
}

/// Runs a command that must succeed; its stdout.
fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn sh(script: &str) -> Command {
    let mut c = Command::new("bash");
    c.args(["-euo", "pipefail", "-c", script]);
    c
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Throwaway keys: a minisign pair (Tauri's signer format) for the
/// packages, and two OpenPGP keys: the archive's and a stranger's.
struct Keys {
    minisign_key: PathBuf,
    minisign_pub: PathBuf,
    password: String,
    gnupg: PathBuf,
    archive_key: String,
    stranger_gnupg: PathBuf,
    stranger_key: String,
}

fn gpg_key(home: &Path, name: &str) -> String {
    std::fs::create_dir_all(home).expect("gnupg home");
    ok(Command::new("chmod").arg("700").arg(home));
    ok(Command::new("gpg").env("GNUPGHOME", home).args([
        "--batch",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--quick-gen-key",
        name,
        "ed25519",
        "sign",
        "never",
    ]));
    let listed = ok(Command::new("gpg").env("GNUPGHOME", home).args(["--batch", "--with-colons", "--list-keys"]));
    listed.lines().find_map(|l| l.strip_prefix("fpr:").map(|r| r.trim_matches(':').to_owned())).expect("fingerprint")
}

fn make_keys(dir: &Path) -> Keys {
    let tauri = root().join("packaging/node_modules/.bin/tauri");
    if !tauri.exists() {
        ok(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(root().join("packaging")));
    }
    let password = format!("test-{}", uuid::Uuid::now_v7());
    let key = dir.join("release.key");
    ok(Command::new(&tauri).args(["signer", "generate", "--ci", "-p", &password, "-w"]).arg(&key));
    let gnupg = dir.join("gnupg");
    let stranger_gnupg = dir.join("gnupg-stranger");
    Keys {
        minisign_pub: dir.join("release.key.pub"),
        minisign_key: key,
        password,
        archive_key: gpg_key(&gnupg, "Zargar POS test archive <archive@zargar-pos.example>"),
        gnupg,
        stranger_key: gpg_key(&stranger_gnupg, "Someone else <else@zargar-pos.example>"),
        stranger_gnupg,
    }
}

/// The release script with the throwaway keys, in the environment a person
/// would run it from: without what `cargo test` adds for its test binaries,
/// which would make the nested release build start over.
fn release(keys: &Keys, args: &[&str]) -> String {
    let started = Instant::now();
    let mut cmd = Command::new(root().join("scripts/release"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if (name.starts_with("CARGO") && name != "CARGO_HOME") || name == "LD_LIBRARY_PATH" || name == "OUT_DIR" {
            cmd.env_remove(name);
        }
    }
    let out = ok(cmd
        .args(args)
        .env("ZARGAR_SIGNING_KEY", &keys.minisign_key)
        .env("ZARGAR_SIGNING_PUBKEY", &keys.minisign_pub)
        .env("ZARGAR_SIGNING_PASSWORD", &keys.password)
        .env("ZARGAR_REPO_GPG_KEY", &keys.archive_key)
        .env("GNUPGHOME", &keys.gnupg)
        .stderr(Stdio::inherit()));
    eprintln!("scripts/release {args:?}: {:.0} s\n{out}", started.elapsed().as_secs_f64());
    out
}

/// A static file server on 127.0.0.1 (python's), for the repository and updates.
struct Web {
    child: Child,
    port: u16,
}

impl Web {
    fn start(dir: &Path) -> Web {
        let port = free_port();
        let child = Command::new("python3")
            .args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1", "--directory"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m http.server");
        wait_until("the web server", Duration::from_secs(20), || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        Web { child, port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

impl Drop for Web {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// apt, confined to one source list and its own list cache, so the test
/// neither reads nor disturbs the machine's other repositories.
struct Apt {
    dir: PathBuf,
}

impl Apt {
    fn new(dir: &Path, line: &str) -> Apt {
        std::fs::create_dir_all(dir.join("lists/partial")).expect("lists");
        std::fs::create_dir_all(dir.join("parts")).expect("parts");
        std::fs::write(dir.join("zargar.list"), format!("{line}\n")).expect("list");
        Apt { dir: dir.to_path_buf() }
    }

    fn cmd(&self, tool: &str) -> Command {
        let mut c = Command::new(tool);
        c.env("DEBIAN_FRONTEND", "noninteractive")
            .arg("-o")
            .arg(format!("Dir::Etc::SourceList={}", self.dir.join("zargar.list").display()))
            .arg("-o")
            .arg(format!("Dir::Etc::SourceParts={}", self.dir.join("parts").display()))
            .arg("-o")
            .arg(format!("Dir::State::Lists={}", self.dir.join("lists").display()))
            .args(["-o", "Acquire::Languages=none", "-o", "Dpkg::Options::=--force-confdef", "-q"]);
        c
    }

    fn get(&self, args: &[&str]) -> Output {
        run(self.cmd("apt-get").args(args))
    }
}

fn version_of(package: &str) -> Option<String> {
    let out = run(Command::new("dpkg-query").args(["-W", "-f", "${Status}|${Version}", package]));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (status, version) = text.split_once('|')?;
    status.ends_with(" installed").then(|| version.to_owned())
}

/// Whatever happens, the machine ends without our packages and files.
struct Cleanup;

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = Command::new("pkill").args(["-f", "/usr/bin/zargar-server"]).status();
        let _ = Command::new("dpkg").args(["--purge", "zargar-pos", "zargar-server"]).output();
        let _ = std::fs::remove_file("/etc/zargar/pos.toml");
        let _ = std::fs::remove_file("/etc/zargar/enrolment-code");
        // Only when empty: a machine's own files there stay.
        let _ = std::fs::remove_dir("/etc/zargar");
    }
}

/// The packaged server, as its own user, on its packaged config.
struct PackagedServer {
    child: Child,
    url: String,
}

impl PackagedServer {
    fn start(listen: &str) -> PackagedServer {
        let (child, url) = zargar_e2e::backend::spawn_serving(
            Command::new("runuser")
                .args(["-u", "zargar", "--", "/usr/bin/zargar-server", "--config", "/etc/zargar/server.toml"])
                .args(["serve", "--listen", listen])
                .env("RUST_LOG", "warn")
                .stderr(Stdio::inherit()),
        );
        PackagedServer { child, url }
    }

    fn admin(args: &[&str]) -> String {
        ok(Command::new("runuser")
            .args(["-u", "zargar", "--", "/usr/bin/zargar-server", "--config", "/etc/zargar/server.toml"])
            .args(args))
        .trim()
        .to_owned()
    }

    fn stop(mut self) {
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }
}

/// Sales the server holds for the shop, by op id (read from its database).
fn server_sales(tenant: &str) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags("/var/lib/zargar/server.db", rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("the server's database");
    let mut stmt = conn.prepare("SELECT op_id FROM sales WHERE tenant_id = ?1 ORDER BY op_id").expect("query");
    stmt.query_map([tenant], |r| r.get(0)).expect("rows").map(|r| r.expect("row")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_installs_upgrades_and_updates_from_signed_packages() {
    if !enabled() {
        eprintln!(
            "SKIPPED: packages install system-wide (apt, dpkg, /etc/zargar); this test runs in CI (CI=true) \
             or with ZARGAR_INSTALL_TESTS=1, as root on a Debian 12 machine"
        );
        return;
    }
    let _cleanup = Cleanup;
    let work = tempfile::Builder::new().prefix("zargar-pkg").tempdir().expect("dir");
    let w = work.path();
    // The server's own user must read the inventory file and reach nothing else of ours.
    ok(Command::new("chmod").arg("755").arg(w));
    let keys = make_keys(w);
    let www = w.join("www");
    std::fs::create_dir_all(www.join("updates")).expect("www");
    let web = Web::start(&www);

    // ---- 1. Build and sign version N and N+1 (the app only) ----
    let n =
        ok(sh("sed -n '/^\\[workspace.package\\]/,/^\\[/s/^version = \"\\(.*\\)\"/\\1/p' Cargo.toml")
            .current_dir(root()))
        .trim()
        .to_owned();
    let (major_minor, patch) = n.rsplit_once('.').expect("x.y.z");
    let n1 = format!("{major_minor}.{}", patch.parse::<u32>().expect("patch") + 1);
    let rel_n = www.join(format!("release-{n}"));
    let rel_n1 = www.join(format!("release-{n1}"));
    let repo = www.join("apt");
    let repo_s = repo.to_str().expect("utf-8").to_owned();
    release(
        &keys,
        &[
            "--out",
            rel_n.to_str().expect("utf-8"),
            "--repo",
            &repo_s,
            "--update-url",
            &web.url(&format!("release-{n}")),
            "--allow-http-updates",
        ],
    );
    release(
        &keys,
        &[
            "--version",
            &n1,
            "--only",
            "pos",
            "--out",
            rel_n1.to_str().expect("utf-8"),
            "--update-url",
            &web.url("updates"),
            "--allow-http-updates",
            "--notes",
            "نسخهٔ آزمایشی",
        ],
    );
    let pos_deb = rel_n.join(format!("zargar-pos_{n}_amd64.deb"));
    let server_deb = rel_n.join(format!("zargar-server_{n}_amd64.deb"));
    let pos_rpm = rel_n.join(format!("zargar-pos-{n}-1.x86_64.rpm"));
    let pos_deb_n1 = rel_n1.join(format!("zargar-pos_{n1}_amd64.deb"));
    for f in [&pos_deb, &server_deb, &pos_rpm, &pos_deb_n1] {
        let size = std::fs::metadata(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())).len();
        eprintln!("package {}: {size} bytes", f.display());
    }

    // ---- 2. Verify before installing: ours and Debian's minisign ----
    let pubkey = rel_n.join("zargar-release.pub");
    for f in [&pos_deb, &server_deb, &pos_rpm, &rel_n.join("SHA256SUMS")] {
        let said =
            ok(Command::new(bin("zargar")).args(["--lang", "en", "verify-bundle"]).arg(f).arg("--pubkey").arg(&pubkey));
        eprintln!("{said}");
        ok(Command::new("minisign").arg("-Vm").arg(f).arg("-p").arg(&pubkey));
    }
    // One changed byte: both refuse.
    let bad = w.join("tampered");
    std::fs::create_dir_all(&bad).expect("dir");
    let tampered = bad.join(pos_deb.file_name().expect("name"));
    let mut bytes = std::fs::read(&pos_deb).expect("deb");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&tampered, &bytes).expect("write");
    for ext in ["sig", "minisig"] {
        std::fs::copy(
            rel_n.join(format!("zargar-pos_{n}_amd64.deb.{ext}")),
            bad.join(format!("zargar-pos_{n}_amd64.deb.{ext}")),
        )
        .expect("copy sig");
    }
    let refused = run(Command::new(bin("zargar"))
        .args(["--lang", "en", "verify-bundle"])
        .arg(&tampered)
        .arg("--pubkey")
        .arg(&pubkey));
    assert_eq!(refused.status.code(), Some(1), "a changed byte must fail: {refused:?}");
    assert!(!run(Command::new("minisign").arg("-Vm").arg(&tampered).arg("-p").arg(&pubkey)).status.success());

    // ---- 3. lintian: no errors (warnings printed for the note) ----
    for f in [&pos_deb, &server_deb] {
        let out = run(Command::new("lintian").args(["--fail-on", "error", "--no-tag-display-limit"]).arg(f));
        let text = String::from_utf8_lossy(&out.stdout);
        eprintln!("lintian {}:\n{text}", f.display());
        assert!(out.status.success(), "lintian found errors in {}:\n{text}", f.display());
    }

    // ---- 4. apt refuses an altered repository and one signed by a stranger ----
    let keyring = repo.join("zargar-archive-keyring.gpg");
    let list = |path: &str| format!("deb [signed-by={}] {} stable main", keyring.display(), web.url(path));
    let altered = www.join("apt-altered");
    ok(Command::new("cp").arg("-a").arg(&repo).arg(&altered));
    ok(sh("f=dists/stable/main/binary-amd64/Packages; sed -i 's/^Installed-Size: .*/Installed-Size: 1/' $f; gzip -9nkf $f")
        .current_dir(&altered));
    let apt = Apt::new(&w.join("apt-altered-state"), &list("apt-altered"));
    let out = apt.get(&["update"]);
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() || why.contains("Hash Sum mismatch") || why.contains("size"),
        "altered Packages accepted: {why}"
    );
    assert!(!apt.get(&["install", "-s", "zargar-pos"]).status.success(), "apt offered a package from an altered index");

    let stranger = www.join("apt-stranger");
    ok(Command::new("cp").arg("-a").arg(&repo).arg(&stranger));
    ok(sh(&format!(
        "gpg --batch --yes --local-user {k} --clearsign -o dists/stable/InRelease dists/stable/Release && \
         gpg --batch --yes --local-user {k} -abs -o dists/stable/Release.gpg dists/stable/Release",
        k = keys.stranger_key
    ))
    .env("GNUPGHOME", &keys.stranger_gnupg)
    .current_dir(&stranger));
    let apt = Apt::new(&w.join("apt-stranger-state"), &list("apt-stranger"));
    let out = apt.get(&["update"]);
    let why = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        why.contains("NO_PUBKEY") || why.contains("not signed") || why.contains("signatures"),
        "stranger's Release: {why}"
    );
    assert!(!apt.get(&["install", "-s", "zargar-pos"]).status.success(), "apt offered a package signed by a stranger");

    // ---- 5. Install both from the signed repository ----
    let apt = Apt::new(&w.join("apt-state"), &list("apt"));
    let out = apt.get(&["update"]);
    assert!(out.status.success(), "apt-get update: {}", String::from_utf8_lossy(&out.stderr));
    let out = apt.get(&["install", "-y", "--no-install-recommends", "zargar-pos", "zargar-server"]);
    assert!(
        out.status.success(),
        "apt-get install: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(version_of("zargar-pos").as_deref(), Some(n.as_str()));
    assert_eq!(version_of("zargar-server").as_deref(), Some(n.as_str()));
    for f in ["/usr/bin/zargar-pos", "/usr/bin/zargar", "/usr/bin/zargar-server", "/etc/zargar/server.toml"] {
        assert!(Path::new(f).exists(), "{f} was not installed");
    }
    let desktop = std::fs::read_to_string("/usr/share/applications/zargar-pos.desktop").expect("desktop entry");
    assert!(desktop.contains("Name[fa]=زرگر"), "{desktop}");
    let fields =
        ok(Command::new("dpkg-query").args(["-W", "-f", "${Maintainer}|${Depends}|${Description}", "zargar-pos"]));
    assert!(
        fields.starts_with("Zargar POS <") && !fields.contains("-dev"),
        "maintainer, runtime dependencies only: {fields}"
    );
    assert!(fields.contains("صندوق") && fields.contains("gold"), "Persian and English descriptions: {fields}");

    // ---- 6. The packaged server: a valid unit, its own user, its config ----
    let verify =
        run(Command::new("systemd-analyze").args(["verify", "--man=no", "/lib/systemd/system/zargar-server.service"]));
    let said = String::from_utf8_lossy(&verify.stderr);
    assert!(verify.status.success() && !said.contains("zargar-server.service:"), "systemd-analyze verify: {said}");
    let meta = std::fs::metadata("/var/lib/zargar").expect("/var/lib/zargar");
    use std::os::unix::fs::MetadataExt;
    assert_eq!(meta.mode() & 0o777, 0o750, "the data folder is the service's alone");
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let server = PackagedServer::start(&listen);
    let health = reqwest::get(format!("{}/healthz", server.url)).await.expect("healthz");
    assert!(health.status().is_success(), "/healthz answered {}", health.status());
    let tenant = PackagedServer::admin(&["tenant", "create", SHOP]);
    let csv = w.join("items.csv");
    std::fs::write(&csv, zargar_e2e::items_csv(&zargar_e2e::rings(6))).expect("csv");
    ok(Command::new("chmod").arg("644").arg(&csv));
    PackagedServer::admin(&["item", "import", "--tenant", &tenant, csv.to_str().expect("utf-8")]);
    PackagedServer::admin(&["price", "set", "--tenant", &tenant, "80000000"]);
    let code = PackagedServer::admin(&["device", "enroll", "--tenant", &tenant]);

    // ---- 7. A till rolled out with the fleet preset; one sale on the installed app ----
    std::fs::create_dir_all("/etc/zargar").expect("/etc/zargar");
    std::fs::write("/etc/zargar/enrolment-code", format!("{code}\n")).expect("code");
    std::fs::write(
        "/etc/zargar/pos.toml",
        format!(
            "# written by the packages test\nserver_url = \"{}\"\nlanguage = \"fa\"\ntill_name = \"صندوق ۵\"\n\
             update_endpoint = \"{}\"\nenrolment_code_file = \"/etc/zargar/enrolment-code\"\n",
            server.url,
            web.url("updates/latest.json")
        ),
    )
    .expect("preset");
    let home = w.join("home");
    std::fs::create_dir_all(&home).expect("home");
    let installed = Path::new("/usr/bin/zargar-pos");
    let display = Display::start();
    let preset = [("ZARGAR_PRESET", "/etc/zargar/pos.toml")];
    let app = App::launch_with(&display, &home, "[data-testid=first-run]", installed, &preset).await;
    app.wait_for("[data-testid=owner-name]", LONG).await.send_keys("مریم").await.expect("name");
    app.wait_for("[data-testid=pin-new]", LONG).await.send_keys(PIN).await.expect("pin");
    app.wait_for("[data-testid=pin-confirm]", LONG).await.send_keys(PIN).await.expect("pin");
    app.wait_for("[data-testid=pin-save]", LONG).await.click().await.expect("save");
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    app.wait_text("nav .till", LONG, |t| t.contains(SHOP)).await;
    let mut till = Till::open(&App::data_dir(&home));
    till.program = Some(PathBuf::from("/usr/bin/zargar"));
    wait_until("the shop's pieces on the till", LONG, || till.item_status("RING-1") == "in_stock");
    app.sell_by_keyboard("RING-1").await;
    app.screenshot("installed-app-invoice").await;
    app.wait_attr("[data-testid=pending-count]", "data-count", LONG, |v| v == Some("0")).await;
    app.quit().await;
    assert_eq!(server_sales(&tenant).len(), 1, "the installed app's sale reached the packaged server");

    // ---- 8. Upgrade with 3 sales pending: they survive and reach the server once each ----
    server.stop();
    for tag in ["RING-2", "RING-3", "RING-4"] {
        till.sell(&[tag]);
    }
    assert_eq!(till.status()["pending_sales"], 3, "{}", till.status());
    let name = format!("zargar-pos_{n1}_amd64.deb");
    std::fs::copy(rel_n1.join(&name), repo.join("pool/main/z/zargar-pos").join(&name)).expect("publish N+1");
    ok(Command::new(root().join("scripts/apt-repo"))
        .arg(&repo)
        .env("ZARGAR_REPO_GPG_KEY", &keys.archive_key)
        .env("GNUPGHOME", &keys.gnupg));
    let out = apt.get(&["update"]);
    assert!(out.status.success(), "apt-get update: {}", String::from_utf8_lossy(&out.stderr));
    let out = apt.get(&["upgrade", "-y"]);
    assert!(out.status.success(), "apt-get upgrade: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(version_of("zargar-pos").as_deref(), Some(n1.as_str()), "upgraded to N+1");
    assert_eq!(till.status()["pending_sales"], 3, "the pending sales survived the upgrade");
    let server = PackagedServer::start(&listen);
    till.sync_until_clean();
    let sales = server_sales(&tenant);
    let mut unique = sales.clone();
    unique.dedup();
    assert_eq!(sales.len(), 4, "each sale reached the server: {sales:?}");
    assert_eq!(unique.len(), 4, "no sale twice: {sales:?}");

    // ---- 9. In-app update: back to N, then a tampered package refused, the signed one installed ----
    let out = apt.get(&["install", "-y", "--allow-downgrades", &format!("zargar-pos={n}")]);
    assert!(out.status.success(), "downgrade: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(version_of("zargar-pos").as_deref(), Some(n.as_str()));
    let updates = www.join("updates");
    let deb_name = format!("zargar-pos_{n1}_amd64.deb");
    let mut bytes = std::fs::read(rel_n1.join(&deb_name)).expect("deb");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(updates.join(&deb_name), &bytes).expect("tampered update");
    std::fs::copy(rel_n1.join("latest.json"), updates.join("latest.json")).expect("manifest");

    let app = App::launch_with(&display, &home, "[data-testid=sale-screen][data-ready=true]", installed, &preset).await;
    let offered = zargar_e2e::app::persian_digits(&n1);
    let open_updates = || async {
        app.press(keys::F6).await;
        app.wait_for("[data-testid=pin-input]", LONG)
            .await
            .send_keys(&format!("{PIN}{}", keys::ENTER))
            .await
            .expect("pin");
        app.wait_for("[data-testid=tab-updates]", LONG).await.click().await.expect("updates tab");
        app.wait_text("[data-testid=update-available]", LONG, |t| t.contains(&offered)).await;
    };
    // Never in the middle of a sale: with a piece scanned, the install waits.
    app.scan("RING-5").await;
    open_updates().await;
    app.wait_for("[data-testid=update-sale-open]", LONG).await;
    let install = app.wait_for("[data-testid=update-install]", LONG).await;
    assert_eq!(
        install.prop("disabled").await.expect("disabled").as_deref(),
        Some("true"),
        "install while a sale is open"
    );
    app.screenshot("update-waits-for-the-sale").await;
    // The cashier finishes the sale; then the owner installs.
    app.press(keys::F1).await;
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    app.press(keys::F8).await;
    app.press(keys::ENTER).await;
    app.wait_for("[data-testid=sale-screen][data-can-confirm=true]", LONG).await;
    app.press(keys::F10).await;
    app.wait_for("[data-testid=invoice]", LONG).await;
    app.press(keys::ESCAPE).await;
    open_updates().await;
    // The owner's screen at the smallest counter resolution: the offer and its button in view.
    app.resize(1024, 768).await;
    assert!(app.placement("[data-testid=update-install]").await.visible_and_clickable(), "install hidden at 1024×768");
    app.screenshot("update-available-1024x768").await;
    let install = app.wait_for("[data-testid=update-install]", LONG).await;
    install.click().await.expect("install");
    app.wait_for("[data-testid=update-install]", LONG).await.click().await.expect("confirm");
    let error = app.wait_text("[data-testid=update-error]", LONG, |t| !t.is_empty()).await;
    assert!(error.contains("امضای به‌روزرسانی"), "the Persian message for a bad signature: {error}");
    app.screenshot("update-tampered-refused").await;
    assert_eq!(version_of("zargar-pos").as_deref(), Some(n.as_str()), "nothing was installed");

    std::fs::copy(rel_n1.join(&deb_name), updates.join(&deb_name)).expect("the signed update");
    app.wait_for("[data-testid=update-check]", LONG).await.click().await.expect("check again");
    app.wait_for("[data-testid=update-install]", LONG).await.click().await.expect("install");
    app.wait_for("[data-testid=update-install]", LONG).await.click().await.expect("confirm");
    app.wait_for("[data-testid=update-installed]", Duration::from_secs(180)).await;
    app.resize(1366, 768).await;
    app.screenshot("update-installed-1366x768").await;
    assert_eq!(version_of("zargar-pos").as_deref(), Some(n1.as_str()), "the signed update was installed");
    app.quit().await;
    server.stop();

    // ---- 10. Remove keeps the shop's data; purge removes the server's ----
    let out = apt.get(&["remove", "-y", "zargar-pos", "zargar-server"]);
    assert!(out.status.success(), "remove: {}", String::from_utf8_lossy(&out.stderr));
    assert!(!installed.exists(), "the app was removed");
    assert!(App::data_dir(&home).join("till.db").exists(), "removing the app keeps the shop's till");
    assert!(Path::new("/var/lib/zargar/server.db").exists(), "removing the server keeps its data");
    assert!(Path::new("/etc/zargar/server.toml").exists(), "removing keeps the config");
    let out = apt.get(&["purge", "-y", "zargar-server", "zargar-pos"]);
    assert!(out.status.success(), "purge: {}", String::from_utf8_lossy(&out.stderr));
    assert!(!Path::new("/var/lib/zargar").exists(), "purge removes the server's data");
    assert!(!Path::new("/etc/zargar/server.toml").exists(), "purge removes the config");
}
