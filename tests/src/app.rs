//! The real desktop app under test: `zargar-pos` built with its UI
//! embedded, run in WebKitGTK under Xvfb, driven through tauri-driver and
//! WebKitWebDriver (the WebDriver protocol), exactly as a person's keys and
//! clicks reach it.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

use crate::wait_until;

/// WebDriver's codes for the keys a cashier presses.
pub mod keys {
    pub const TAB: &str = "\u{E004}";
    pub const SHIFT: &str = "\u{E008}";
    pub const ARROW_UP: &str = "\u{E013}";
    pub const ARROW_DOWN: &str = "\u{E015}";
    pub const INSERT: &str = "\u{E016}";
    pub const DELETE: &str = "\u{E017}";
    pub const ENTER: &str = "\u{E007}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const F1: &str = "\u{E031}";
    pub const F2: &str = "\u{E032}";
    pub const F3: &str = "\u{E033}";
    pub const F4: &str = "\u{E034}";
    pub const F5: &str = "\u{E035}";
    pub const F6: &str = "\u{E036}";
    pub const F7: &str = "\u{E037}";
    pub const F8: &str = "\u{E038}";
    pub const F9: &str = "\u{E039}";
    pub const F10: &str = "\u{E03A}";
    pub const F11: &str = "\u{E03B}";
    pub const F12: &str = "\u{E03C}";
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `zargar-pos` with the UI inside, built once per test process: the UI
/// with Vite, then the binary with the `custom-protocol` feature.
pub fn app_binary() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let root = repo_root();
            let ui = root.join("ui");
            assert!(
                ui.join("node_modules").exists(),
                "ui/node_modules is missing: run scripts/setup (or `npm ci` in ui/)"
            );
            let ok = Command::new("npm").args(["run", "--silent", "build"]).current_dir(&ui).status();
            assert!(ok.map(|s| s.success()).unwrap_or(false), "the UI did not build (npm run build in ui/)");
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let mut cmd = Command::new(cargo);
            cmd.args(["build", "--quiet", "-p", "zargar-pos", "--features", "custom-protocol"]).current_dir(&root);
            let release = crate::bin_dir().ends_with("release");
            if release {
                cmd.arg("--release");
            }
            let ok = cmd.status().map(|s| s.success()).unwrap_or(false);
            assert!(ok, "cargo build -p zargar-pos --features custom-protocol failed");
            let path = crate::bin_dir().join("zargar-pos");
            assert!(path.exists(), "{} is missing", path.display());
            path
        })
        .clone()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn find_program(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> =
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo").into_os_string()))
    {
        dirs.push(Path::new(&home).join("bin"));
    }
    dirs.into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} not found: run scripts/setup"))
}

/// A private X display (Xvfb) for the app's window.
#[derive(Debug)]
pub struct Display {
    pub name: String,
    xvfb: Child,
}

impl Display {
    pub fn start() -> Display {
        // Xvfb picks a free display itself and writes its number to stdout
        // (-displayfd): two tests starting displays at once cannot collide.
        let mut xvfb = Command::new(find_program("Xvfb"))
            // Larger than any window a test asks for (up to 1366×768 and 1280×800).
            .args(["-displayfd", "1", "-screen", "0", "1600x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(xvfb.stdout.take().expect("stdout")), &mut line)
            .expect("Xvfb's display number");
        let n: u32 = line.trim().parse().unwrap_or_else(|_| panic!("Xvfb gave no display number: {line:?}"));
        let name = format!(":{n}");
        let socket = format!("/tmp/.X11-unix/X{n}");
        wait_until("Xvfb to listen", Duration::from_secs(20), || Path::new(&socket).exists());
        Display { name, xvfb }
    }
}

impl Display {
    /// Answers the system's save dialog (GTK's file chooser) titled
    /// `title`, as a person would: focus it, type the full path into its
    /// name field, Enter. There is no window manager under Xvfb, so the
    /// dialog is focused by hand.
    pub fn answer_save_dialog(&self, title: &str, path: &Path) {
        let xdotool = find_program("xdotool");
        let run = |args: &[&str]| {
            let out = Command::new(&xdotool).args(args).env("DISPLAY", &self.name).output().expect("run xdotool");
            assert!(out.status.success(), "xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8_lossy(&out.stdout).trim().to_owned()
        };
        let mut window = String::new();
        wait_until("the save dialog to open", Duration::from_secs(30), || {
            let out = Command::new(&xdotool)
                .args(["search", "--onlyvisible", "--name", title])
                .env("DISPLAY", &self.name)
                .output()
                .expect("run xdotool");
            window = String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or_default().to_owned();
            !window.is_empty()
        });
        run(&["windowfocus", "--sync", &window]);
        // The name field holds the suggested name, selected: typing replaces it.
        run(&["key", "--clearmodifiers", "ctrl+a"]);
        run(&["type", "--delay", "15", path.to_str().expect("utf-8 path")]);
        run(&["key", "Return"]);
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        // SIGTERM lets Xvfb remove its lock and socket; SIGKILL would leave
        // them, and the display number would look taken to the next run.
        let _ = Command::new("kill").arg(self.xvfb.id().to_string()).status();
        let start = Instant::now();
        while matches!(self.xvfb.try_wait(), Ok(None)) && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
        let n = self.name.trim_start_matches(':');
        let _ = std::fs::remove_file(format!("/tmp/.X{n}-lock"));
        let _ = std::fs::remove_file(format!("/tmp/.X11-unix/X{n}"));
    }
}

/// One run of the app on its own data folder, with a WebDriver session.
#[derive(Debug)]
pub struct App {
    pub client: Client,
    pub data_home: PathBuf,
    /// From asking for a session to the sale screen taking keys.
    pub launch_to_interactive: Duration,
    driver: Child,
}

impl App {
    /// The folder the app keeps its till in, under `data_home` (XDG_DATA_HOME).
    pub fn data_dir(data_home: &Path) -> PathBuf {
        data_home.join("ir.zargar.pos")
    }

    /// Starts tauri-driver, which starts the app, and waits until the sale
    /// screen is ready for a scan.
    pub async fn launch(display: &Display, data_home: &Path) -> App {
        App::launch_to(display, data_home, "[data-testid=sale-screen][data-ready=true]").await
    }

    /// Starts the app and waits until `ready` (a CSS selector) shows: the
    /// sale screen, or the first-run setup of a till with no owner yet.
    pub async fn launch_to(display: &Display, data_home: &Path, ready: &str) -> App {
        App::launch_with(display, data_home, ready, &app_binary(), &[]).await
    }

    /// Starts `binary` (the built app, or an installed `/usr/bin/zargar-pos`)
    /// with `env` added, and waits until `ready` shows.
    pub async fn launch_with(
        display: &Display,
        data_home: &Path,
        ready: &str,
        binary: &Path,
        env: &[(&str, &str)],
    ) -> App {
        let port = free_port();
        let native_port = free_port();
        let log = std::fs::File::create(data_home.join("tauri-driver.log")).expect("driver log");
        let driver = Command::new(find_program("tauri-driver"))
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .arg("--native-driver")
            .arg(find_program("WebKitWebDriver"))
            .env("DISPLAY", &display.name)
            .env("XDG_DATA_HOME", data_home)
            .env("ZARGAR_LOG", "info")
            // The machine's own fleet preset (/etc/zargar/pos.toml) stays out
            // of the tests; a test that wants one names it.
            .env("ZARGAR_PRESET", data_home.join("no-preset.toml"))
            .envs(env.iter().copied())
            // Keep WebKit off any session bus of the machine running the tests.
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start tauri-driver");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        wait_until("tauri-driver to listen", Duration::from_secs(20), || {
            TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
        });
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), serde_json::json!({ "application": binary.to_str().expect("utf-8 path") }));
        // Two TLS back ends are linked (ring via reqwest, aws-lc via
        // fantoccini); the session is plain HTTP on loopback, so pick one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let started = Instant::now();
        let client = ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session with the app");
        let mut app = App { client, data_home: data_home.to_path_buf(), launch_to_interactive: Duration::ZERO, driver };
        app.wait_for(ready, Duration::from_secs(60)).await;
        app.launch_to_interactive = started.elapsed();
        app
    }

    /// Resizes the window and waits until the page's viewport follows.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client.set_window_size(width, height).await.expect("resize");
        let start = Instant::now();
        loop {
            let v =
                self.client.execute("return [window.innerWidth, window.innerHeight]", vec![]).await.expect("viewport");
            let (w, h) = (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0));
            if w == u64::from(width) && h <= u64::from(height) && h + 40 >= u64::from(height) {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "the viewport stayed {w}×{h}, asked {width}×{height}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Let the layout settle (fonts, scrollers) before measuring.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    /// Where `css` is, in the viewport, and whether a click at its centre
    /// lands on it (nothing covers it): what a person sees and can press.
    pub async fn placement(&self, css: &str) -> Placement {
        let script = r#"
            const el = document.querySelector(arguments[0]);
            if (!el) return null;
            const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return { top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                     width: window.innerWidth, height: window.innerHeight,
                     on_top: hit !== null && (hit === el || el.contains(hit)),
                     page_scrolls: document.scrollingElement.scrollHeight > window.innerHeight + 1 };
        "#;
        let v = self.client.execute(script, vec![css.into()]).await.expect("placement");
        serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{css} is not on the page ({e}): {v}"))
    }

    /// The first element matching `css`, waiting for it to appear.
    pub async fn wait_for(&self, css: &str, limit: Duration) -> Element {
        self.client
            .wait()
            .at_most(limit)
            .every(Duration::from_millis(100))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear within {limit:?}: {e}"))
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap_or_default()
    }

    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css, Duration::from_secs(10)).await.text().await.expect("text")
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => e.attr(name).await.ok().flatten(),
            Err(_) => None,
        }
    }

    /// Keys typed into whatever has focus, as a keyboard would. The focused
    /// node can be replaced by a re-render between finding it and typing; the
    /// keys were then not typed, so they are sent again to the new one.
    pub async fn press(&self, keys: &str) {
        let mut tries = 0;
        loop {
            let focused = self.client.active_element().await.expect("a focused element");
            match focused.send_keys(keys).await {
                Ok(()) => return,
                Err(e) if is_stale(&e) && tries < 5 => tries += 1,
                Err(e) => panic!("keys: {e:?}"),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Polls until the text of `css` satisfies `ok` (bounded); that text.
    pub async fn wait_text(&self, css: &str, limit: Duration, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if ok(&text) {
                return text;
            }
            assert!(start.elapsed() < limit, "{css} stayed {text:?} for {limit:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Polls until `attr` of `css` satisfies `ok` (bounded); its last value.
    pub async fn wait_attr(
        &self,
        css: &str,
        name: &str,
        limit: Duration,
        ok: impl Fn(Option<&str>) -> bool,
    ) -> Option<String> {
        let start = Instant::now();
        loop {
            let v = self.attr(css, name).await;
            if ok(v.as_deref()) {
                return v;
            }
            assert!(start.elapsed() < limit, "{css}[{name}] stayed {v:?} for {limit:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// A PNG of the window, saved as `test-output/<name>.png`; checked not
    /// to be blank (a page that failed to paint is one flat colour).
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // Text waits for the embedded font; a shot taken before it shows none.
        let fonts = "const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => \
                     requestAnimationFrame(() => requestAnimationFrame(() => done(true))));";
        self.client.execute_async(fonts, vec![]).await.expect("fonts ready");
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = repo_root().join("test-output");
        std::fs::create_dir_all(&dir).expect("test-output");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, &png).expect("write screenshot");
        let colours = distinct_colours(&png);
        assert!(colours >= 16, "{name}.png looks blank ({colours} colours)");
        path
    }

    /// Clears a field and types into it (the keys go to the field itself).
    pub async fn type_into(&self, css: &str, text: &str) {
        let el = self.wait_for(css, Duration::from_secs(60)).await;
        el.clear().await.expect("clear");
        el.send_keys(text).await.expect("keys");
    }

    /// The focused element's `data-testid`.
    pub async fn focused(&self) -> Option<String> {
        // As in `press`: a re-render may replace the node between the two calls.
        let mut tries = 0;
        loop {
            let focused = self.client.active_element().await.expect("focus");
            match focused.attr("data-testid").await {
                Ok(id) => return id,
                Err(e) if is_stale(&e) && tries < 5 => tries += 1,
                Err(e) => panic!("attr: {e:?}"),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sells `tag` from the keyboard alone: scan, pay the rest in cash, confirm.
    pub async fn sell_by_keyboard(&self, tag: &str) {
        let limit = Duration::from_secs(60);
        self.wait_for("[data-testid=scan-input]", limit).await;
        // The scan field has focus when the sale screen shows: keys go there.
        assert_eq!(self.focused().await.as_deref(), Some("scan-input"), "focus starts in the scan field");
        self.scan(tag).await;
        self.press(keys::F8).await;
        assert_eq!(self.focused().await.as_deref(), Some("pay-amount"), "F8 goes to the payment");
        // An empty amount pays what is left, in the chosen method (cash).
        self.press(keys::ENTER).await;
        self.wait_for("[data-testid=sale-screen][data-can-confirm=true]", limit).await;
        self.press(keys::F10).await;
        self.wait_for("[data-testid=invoice]", limit).await;
    }

    /// On the day's sales (F4): moves the focus to invoice `n`'s row, down
    /// the list and then up it (the focus may start on either side).
    pub async fn focus_sale_row(&self, n: u64) {
        let limit = Duration::from_secs(60);
        let css = format!("[data-testid=sales-row][data-kind=sale][data-number=\"{n}\"]");
        self.wait_for(&css, limit).await;
        let rows = self.find_all("[data-testid=sales-row]").await.len();
        for key in [keys::ARROW_DOWN, keys::ARROW_UP] {
            for _ in 0..=rows {
                self.press(key).await;
                let focused = self.client.active_element().await.expect("focus");
                let kind = focused.attr("data-kind").await.expect("attr");
                let number = focused.attr("data-number").await.expect("attr");
                if kind.as_deref() == Some("sale") && number == Some(n.to_string()) {
                    return;
                }
            }
        }
        panic!("invoice {n}'s row never had the focus");
    }

    /// Types a tag into the focused scan field and waits for its line.
    pub async fn scan(&self, tag: &str) {
        self.press(&format!("{tag}{}", keys::ENTER)).await;
        self.wait_for(&format!("[data-testid=sale-line][data-tag=\"{tag}\"]"), Duration::from_secs(60)).await;
    }

    /// The memory of the app and its WebKit helper processes, in bytes:
    /// the proportional set size (PSS), so libraries the processes share
    /// are counted once, not once per process as RSS would.
    pub fn memory(&self) -> u64 {
        let binary = app_binary();
        let app_pids: Vec<u32> = procs().filter(|(_, exe, _)| *exe == binary).map(|(pid, _, _)| pid).collect();
        assert!(!app_pids.is_empty(), "the app's process was not found");
        procs()
            .filter(|(pid, _, ppid)| app_pids.contains(pid) || app_pids.contains(ppid))
            .map(|(pid, _, _)| pss(pid))
            .sum()
    }

    pub async fn quit(self) {
        let App { client, mut driver, .. } = self;
        let _ = client.close().await;
        // tauri-driver does not take its WebKitWebDriver down when killed.
        let children: Vec<u32> = procs().filter(|(_, _, ppid)| *ppid == driver.id()).map(|(pid, _, _)| pid).collect();
        let _ = driver.kill();
        let _ = driver.wait();
        for pid in children {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
    }
}

/// ASCII digits as Persian ones, as the UI shows them in Persian.
/// The till on the app's data folder under `home`, set up as IT does it:
/// enrolled in `shop` and synced.
pub fn app_till(server: &crate::Server, shop: uuid::Uuid, home: &Path) -> crate::Till {
    app_till_as(server, shop, home, "till")
}

/// `app_till` enrolled with a code of `role` (`till` or `owner`).
pub fn app_till_as(server: &crate::Server, shop: uuid::Uuid, home: &Path, role: &str) -> crate::Till {
    std::fs::create_dir_all(home).expect("home");
    let till = crate::Till::init(&App::data_dir(home), "صندوق ۱");
    till.enroll(&server.url(), &server.enrol_code(shop, role));
    till.sync_until_clean();
    till
}

/// The shop most app tests sell from, "طلافروشی نمونه" with `RING-1` …
/// `RING-n`, and the app's till of it in `work/app-home` (`app_till`) with
/// the owner "مریم" and `pin` preset: the shop, that home and the till.
pub fn sample_shop(server: &crate::Server, work: &Path, n: usize, pin: &str) -> (uuid::Uuid, PathBuf, crate::Till) {
    let shop = server.shop("طلافروشی نمونه", &crate::rings(n), work);
    let home = work.join("app-home");
    let till = app_till(server, shop, &home);
    till.preset_owner("مریم", pin);
    (shop, home, till)
}

pub fn persian_digits(s: &str) -> String {
    s.chars().map(|c| c.to_digit(10).and_then(|d| char::from_u32(0x06F0 + d)).unwrap_or(c)).collect()
}

/// Rials as the Persian UI writes them: ۱۲٬۳۴۵٬۶۷۸ (a leading minus kept).
pub fn persian_money(rials: &str) -> String {
    let (sign, digits) = rials.strip_prefix('-').map_or(("", rials), |d| ("-", d));
    let digits: Vec<char> = digits.chars().collect();
    let mut out = String::from(sign);
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('٬');
        }
        out.push(*c);
    }
    persian_digits(&out)
}

/// An element's box in the viewport (CSS pixels), the viewport's size, and
/// whether the element is the one a click at its centre reaches.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
pub struct Placement {
    pub top: f64,
    pub bottom: f64,
    pub left: f64,
    pub right: f64,
    pub width: f64,
    pub height: f64,
    pub on_top: bool,
    pub page_scrolls: bool,
}

impl Placement {
    /// Wholly inside the viewport, and not covered.
    pub fn visible_and_clickable(&self) -> bool {
        self.top >= 0.0
            && self.left >= 0.0
            && self.bottom <= self.height
            && self.right <= self.width
            && self.bottom > self.top
            && self.on_top
    }
}

/// (pid, executable, parent pid) of each process visible in /proc.
fn procs() -> impl Iterator<Item = (u32, PathBuf, u32)> {
    std::fs::read_dir("/proc").into_iter().flatten().flatten().filter_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let exe = std::fs::read_link(e.path().join("exe")).ok()?;
        let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
        // The field after the parenthesised name: state, then ppid.
        let ppid = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()?;
        Some((pid, exe, ppid))
    })
}

fn pss(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("Pss:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// How many distinct colours a PNG has (capped at 4096; enough to tell).
pub fn distinct_colours(png_bytes: &[u8]) -> usize {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let mut seen = std::collections::HashSet::new();
    for px in buf[..info.buffer_size()].chunks(channels) {
        seen.insert(px.iter().take(3).copied().collect::<Vec<u8>>());
        if seen.len() >= 4096 {
            break;
        }
    }
    seen.len()
}

/// The node an element handle named is gone from the page (a re-render).
fn is_stale(e: &fantoccini::error::CmdError) -> bool {
    matches!(e, fantoccini::error::CmdError::Standard(w)
        if w.error == fantoccini::error::ErrorStatus::StaleElementReference)
}
