//! A till as IT rolls it out, in the real app (WebKitGTK under Xvfb, through
//! WebDriver), against the real server:
//! - a fleet preset (`ZARGAR_PRESET`, else `/etc/zargar/pos.toml`) with the
//!   server, language, till name and an enrolment code file: the till comes
//!   up enrolled to the shop, in English, under its preset name; the owner's
//!   own choice of language wins over the preset at the next start;
//! - a malformed preset: the app starts on its defaults (Persian) and says
//!   which line is wrong;
//! - a database written by a newer app: the app refuses it with a clear
//!   message and does not change a byte of it.

use std::time::Duration;

use zargar_e2e::app::{App, Display};
use zargar_e2e::{Server, Till, rings, wait_until};

const LONG: Duration = Duration::from_secs(60);
const FIRST_RUN: &str = "[data-testid=first-run]";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preset_till_comes_up_enrolled_and_a_bad_preset_names_its_line() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let shop = server.shop("طلافروشی پیش‌تنظیم", &rings(3), work.path());
    let display = Display::start();

    // IT's preset: the shop's server, English, the till's name, and a code.
    let code_file = work.path().join("enrolment-code");
    std::fs::write(&code_file, format!("{}\n", server.enrol_code(shop, "till"))).expect("code");
    let preset = work.path().join("pos.toml");
    std::fs::write(
        &preset,
        format!(
            "# Zargar fleet preset\nserver_url = \"{}\"\nlanguage = \"en\"\ndisplay_unit = \"toman\"\n\
             till_name = \"Counter 7\"\nenrolment_code_file = \"{}\"\n",
            server.url(),
            code_file.display()
        ),
    )
    .expect("preset");
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let env = [("ZARGAR_PRESET", preset.to_str().expect("utf-8"))];
    let app = App::launch_with(&display, &home, FIRST_RUN, &zargar_e2e::app::app_binary(), &env).await;
    assert_eq!(app.attr("html", "lang").await.as_deref(), Some("en"), "the preset's language");
    app.wait_text(FIRST_RUN, LONG, |t| t.contains("Counter 7")).await;
    app.screenshot("preset-first-run-en").await;
    assert!(app.find_all("[data-testid=notices]").await.is_empty(), "a good preset gives no notice");
    app.quit().await;

    // The till is enrolled to the shop, under its preset name, and has the shop's pieces.
    let till = Till::open(&App::data_dir(&home));
    wait_until("the preset's enrolment to link the till", LONG, || till.status()["shop"].is_string());
    let status = till.status();
    assert_eq!(status["shop"], "طلافروشی پیش‌تنظیم", "{status}");
    assert_eq!(status["device_name"], "Counter 7", "{status}");
    wait_until("the shop's pieces to arrive", LONG, || till.item_status("RING-1") == "in_stock");
    assert_eq!(till.json(&["settings", "show"])["display_unit"], "toman", "the preset's display unit");

    // The owner's own language wins over the preset from now on.
    till.ok(&["settings", "set", "display_unit", "rial"]);
    till.preset_owner("Maryam", "1379");
    let app =
        App::launch_with(&display, &home, "[data-testid=sale-screen]", &zargar_e2e::app::app_binary(), &env).await;
    assert_eq!(till.json(&["settings", "show"])["display_unit"], "rial", "the preset is not applied again");
    app.quit().await;

    // A malformed preset: the defaults, and the line that is wrong.
    std::fs::write(&preset, "language = \"fa\"\nsever_url = \"http://127.0.0.1:1\"\n").expect("bad preset");
    let home2 = work.path().join("home2");
    std::fs::create_dir_all(&home2).expect("home");
    let app = App::launch_with(&display, &home2, FIRST_RUN, &zargar_e2e::app::app_binary(), &env).await;
    assert_eq!(app.attr("html", "lang").await.as_deref(), Some("fa"), "the defaults");
    let notice = app.wait_text("[data-testid=notices]", LONG, |t| !t.is_empty()).await;
    assert!(notice.contains("pos.toml") && notice.contains('۲') && notice.contains("sever_url"), "{notice}");
    app.screenshot("preset-malformed-notice").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_app_refuses_a_newer_database_and_leaves_it_alone() {
    let work = tempfile::tempdir().expect("dir");
    let home = work.path().join("home");
    let till = Till::init(&App::data_dir(&home), "صندوق ۱");
    till.ok(&["price", "set", "80000000"]);
    // A newer app's migration: the schema version past what this app knows.
    let db = till.db();
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        conn.execute_batch(&format!("PRAGMA user_version = {}; PRAGMA journal_mode = DELETE;", v + 1)).expect("bump");
    }
    let before = std::fs::read(&db).expect("read");

    let display = Display::start();
    let app = App::launch_to(&display, &home, "[data-testid=start-error]").await;
    let message = app.text("[data-testid=start-error]").await;
    assert!(message.contains("نسخهٔ جدیدتری"), "a clear Persian message: {message}");
    app.screenshot("newer-database-refused").await;
    app.quit().await;
    assert_eq!(std::fs::read(&db).expect("read"), before, "the newer database was changed");
}
