//! The shop's people in the real app (WebKitGTK under Xvfb, through
//! WebDriver): once the owner has added a cashier, the till asks who is at
//! the counter; a wrong PIN is refused in Persian; the cashier signs in by
//! keyboard, sells, and the sale goes out in their name; F12 hands the till
//! to the next person. Screenshots at 1024×768 and 1366×768.

use std::time::Duration;

use zargar_e2e::Server;
use zargar_e2e::app::{App, Display, keys, sample_shop};

const LONG: Duration = Duration::from_secs(60);
const PIN: &str = "1379";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cashier_signs_in_by_pin_sells_in_their_name_and_hands_the_till_over() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let (_, home, till) = sample_shop(&server, work.path(), 3, PIN);
    // The owner adds a cashier (here with `zargar`, as at any till of the shop).
    let out = till
        .command()
        .args(["--as", "مریم", "people", "add", "--name", "علی", "--role", "cashier", "--pin", "2468"])
        .env("ZARGAR_PIN", PIN)
        .output()
        .expect("zargar");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let display = Display::start();
    let app = App::launch_to(&display, &home, "[data-testid=sign-in]").await;
    let names: Vec<String> = {
        let mut v = Vec::new();
        for e in app.find_all("[data-testid=sign-in-person] .name").await {
            v.push(e.text().await.expect("name"));
        }
        v
    };
    assert_eq!(names, ["علی", "مریم"], "the shop's people, to pick from");
    assert_eq!(app.focused().await.as_deref(), Some("sign-in-pin"), "the PIN field has the keys");

    // A wrong PIN: refused, in Persian, and still at the sign-in.
    app.press(&format!("0000{}", keys::ENTER)).await;
    let wrong = app.wait_text("[data-testid=sign-in-error]", LONG, |t| !t.is_empty()).await;
    assert!(wrong.contains("رمز درست نیست"), "{wrong}");
    for (w, h) in [(1024, 768), (1366, 768)] {
        app.resize(w, h).await;
        assert!(app.placement("[data-testid=sign-in-go]").await.visible_and_clickable(), "at {w}×{h}");
        app.screenshot(&format!("sign-in-wrong-pin-{w}x{h}")).await;
    }

    // The cashier signs in and sells, all by keyboard.
    app.press(&format!("2468{}", keys::ENTER)).await;
    let who = app.wait_text("[data-testid=signed-in]", LONG, |t| t.contains("علی")).await;
    assert!(who.contains("F12"), "{who}");
    app.wait_for("[data-testid=sale-screen][data-ready=true]", LONG).await;
    // The name and the hand-over key fit the top bar beside the screens.
    app.resize(1024, 768).await;
    assert!(app.placement("[data-testid=signed-in]").await.visible_and_clickable(), "at 1024×768");
    assert!(app.placement("[data-screen=settings]").await.visible_and_clickable(), "at 1024×768");
    app.screenshot("sign-in-cashier-at-the-sale-1024x768").await;
    app.resize(1366, 768).await;
    app.sell_by_keyboard("RING-1").await;
    app.screenshot("sign-in-cashier-sold-1366x768").await;
    let conn = rusqlite::Connection::open(till.db()).expect("till db");
    let by: String = conn
        .query_row("SELECT json_extract(by, '$.name') FROM outbox WHERE kind = 'sale.create'", [], |r| r.get(0))
        .expect("the sale's op");
    assert_eq!(by, "علی", "the sale goes to the server in the cashier's name");

    // A cashier finds the owner's screens shut.
    app.press(keys::ESCAPE).await;
    app.press(keys::F6).await;
    app.wait_for("[data-testid=pin-unlock]", LONG).await;

    // F12: the next person takes over; the owner, signed in, has Settings open.
    app.press(keys::F12).await;
    app.wait_for("[data-testid=sign-in]", LONG).await;
    app.resize(1024, 768).await;
    app.screenshot("sign-in-handed-over-1024x768").await;
    app.press(keys::ARROW_DOWN).await;
    app.press(&format!("{PIN}{}", keys::ENTER)).await;
    app.wait_text("[data-testid=signed-in]", LONG, |t| t.contains("مریم")).await;
    app.press(keys::F6).await;
    app.wait_for("[data-testid=owner-lock]", LONG).await;
    app.screenshot("sign-in-owner-settings-open-1024x768").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_adds_a_cashier_in_settings_with_their_pin_and_the_till_asks_who_is_at_the_counter() {
    let work = tempfile::tempdir().expect("dir");
    let server = Server::start(work.path());
    let (_, home, till) = sample_shop(&server, work.path(), 2, PIN);
    let display = Display::start();
    let app = App::launch_to(&display, &home, "[data-testid=sale-screen][data-ready=true]").await;
    app.resize(1024, 768).await;
    app.press(keys::F6).await;
    app.wait_for("[data-testid=pin-unlock]", LONG).await;
    app.press(&format!("{PIN}{}", keys::ENTER)).await;
    app.wait_for("[data-testid=tab-people]", LONG).await.click().await.expect("the people tab");
    app.wait_for("[data-testid=person-row][data-name=مریم]", LONG).await;
    assert_eq!(app.focused().await.as_deref(), Some("person-name"), "the form has the keys");

    app.press("علی").await;
    app.type_into("[data-testid=person-pin]", "2468").await;
    app.type_into("[data-testid=person-limit]", "10").await;
    // A wrong owner's PIN saves no one.
    app.type_into("[data-testid=person-owner-pin]", &format!("0000{}", keys::ENTER)).await;
    let wrong = app.wait_text("[data-testid=person-error]", LONG, |t| !t.is_empty()).await;
    assert!(wrong.contains("رمز"), "{wrong}");
    app.screenshot("settings-people-wrong-pin-1024x768").await;
    assert!(app.find_all("[data-testid=person-row][data-name=علی]").await.is_empty());

    // The owner's PIN: علی is a cashier of the shop, and the till asks who is at the counter.
    app.type_into("[data-testid=person-owner-pin]", &format!("{PIN}{}", keys::ENTER)).await;
    app.wait_for("[data-testid=sign-in]", LONG).await;
    let mut names = Vec::new();
    for e in app.find_all("[data-testid=sign-in-person] .name").await {
        names.push(e.text().await.expect("name"));
    }
    assert!(names.contains(&"علی".to_owned()), "{names:?}");
    let conn = rusqlite::Connection::open(till.db()).expect("till db");
    let (role, limit): (String, String) = conn
        .query_row("SELECT role, discount_limit FROM people WHERE name = 'علی'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("علی on record");
    assert_eq!((role.as_str(), limit.as_str()), ("cashier", "10"));
    let queued: i64 =
        conn.query_row("SELECT count(*) FROM outbox WHERE kind = 'person.upsert'", [], |r| r.get(0)).expect("outbox");
    assert!(queued >= 2, "the owner and علی go to the server");
}
