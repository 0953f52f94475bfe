//! Crash safety: `zargar sell` killed with SIGKILL at random moments, over
//! and over, never loses a sale it reported saved and never leaves half of
//! one behind.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::Till;
use rand::{Rng, SeedableRng};
use rusqlite::Connection;

/// Kills that must land while `zargar sell` is still running.
const KILLS: usize = 200;
/// Attempts at most, so the loop is bounded even if timing is odd.
const MAX_ATTEMPTS: usize = 700;

fn spawn_sale(t: &Till, tag: &str) -> std::process::Child {
    t.command(&["--json", "sell", "--item", tag, "--pay", "cash=10000000000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn zargar sell")
}

fn scalar(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Kills `child` with SIGKILL at a random moment within 1.2 × `typical`
/// (`Child::kill` is SIGKILL on Unix: no handler, no flush, no cleanup).
/// Whether the kill landed while it still ran, and what it printed: only a
/// complete JSON report with `"saved": true` counts as saved.
fn kill_at_random(
    mut child: std::process::Child,
    typical: Duration,
    rng: &mut rand::rngs::StdRng,
) -> (bool, Option<serde_json::Value>) {
    let max_us = u64::try_from(typical.as_micros()).unwrap_or(u64::MAX).saturating_mul(12) / 10;
    std::thread::sleep(Duration::from_micros(rng.random_range(0..=max_us.max(1))));
    let killed = child.try_wait().expect("try_wait").is_none() && child.kill().is_ok();
    let mut out = String::new();
    child.stdout.take().expect("stdout").read_to_string(&mut out).expect("read stdout");
    child.wait().expect("reap");
    let saved = serde_json::from_str::<serde_json::Value>(&out).ok().filter(|v| v["saved"] == true);
    (killed, saved)
}

#[test]
fn sigkill_at_random_moments_loses_no_saved_sale() {
    let t = Till::ready();
    let csv = t.data_dir().join("items.csv");
    let mut rows = String::from("tag,name,weight,purity,wage_percent\n");
    for i in 0..MAX_ATTEMPTS {
        rows.push_str(&format!("C{i:04},انگشتر,{}.{:03},750,12\n", 1 + i % 9, i % 1000));
    }
    std::fs::write(&csv, rows).expect("csv");
    t.ok(&["item", "import", csv.to_str().expect("path")]);

    // How long one sale takes here, to spread the kills over its lifetime.
    let started = Instant::now();
    for tag in ["C0000", "C0001", "C0002"] {
        let out = spawn_sale(&t, tag).wait_with_output().expect("wait");
        assert!(out.status.success());
    }
    let typical = started.elapsed() / 3;
    let seed: u64 = std::env::var("ZARGAR_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("crash test: seed {seed}, one sale takes about {typical:?}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);

    // invoice_no → sale id, for every sale the command said it saved.
    let mut reported: BTreeMap<u64, String> = BTreeMap::new();
    let mut kills = 0;
    let mut attempt = 3;
    while kills < KILLS && attempt < MAX_ATTEMPTS {
        let tag = format!("C{attempt:04}");
        attempt += 1;
        let (killed, saved) = kill_at_random(spawn_sale(&t, &tag), typical, &mut rng);
        kills += usize::from(killed);
        if let Some(v) = saved {
            let no = v["sale"]["invoice_no"].as_u64().expect("invoice_no");
            reported.insert(no, v["sale"]["id"].as_str().expect("id").to_owned());
        }
    }
    eprintln!("crash test: {kills} kills in {attempt} attempts, {} sales reported saved", reported.len());
    assert!(kills >= KILLS, "only {kills} kills landed mid-run in {attempt} attempts");

    // The till still works after all that.
    let last = t.ok(&["--json", "sell", "--item", &format!("C{attempt:04}"), "--pay", "cash=10000000000"]).json();
    reported.insert(last["sale"]["invoice_no"].as_u64().expect("no"), last["sale"]["id"].as_str().expect("id").into());

    let conn = Connection::open(t.db()).expect("open");
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity");
    assert_eq!(ok, "ok");

    // Every reported sale is there, with its outbox row and journal entry.
    for (no, id) in &reported {
        let found = scalar(
            &conn,
            &format!(
                "SELECT count(*) FROM sales s JOIN outbox o ON o.op_id = s.op_id AND o.kind = 'sale.create'
                 JOIN journal j ON j.idx = s.journal_index AND j.entity_id = s.id
                 WHERE s.invoice_no = {no} AND s.id = '{id}'"
            ),
        );
        assert_eq!(found, 1, "sale {no} was reported saved but is not whole");
    }

    // No half-written sale: every sale has its line, payment, op and entry,
    // and every piece marked sold belongs to exactly one sale.
    let sales = scalar(&conn, "SELECT count(*) FROM sales");
    assert!(sales as usize >= reported.len());
    // Killed after COMMIT but before the report: saved, though never claimed.
    eprintln!("crash test: {} sales committed, {} of them reported", sales, reported.len());
    for (what, sql) in [
        ("sales without a line", "SELECT count(*) FROM sales WHERE id NOT IN (SELECT sale_id FROM sale_lines)"),
        ("sales without a payment", "SELECT count(*) FROM sales WHERE id NOT IN (SELECT sale_id FROM payments)"),
        ("sales without an op", "SELECT count(*) FROM sales WHERE op_id NOT IN (SELECT op_id FROM outbox)"),
        (
            "sales without a journal entry",
            "SELECT count(*) FROM sales WHERE journal_index NOT IN (SELECT idx FROM journal)",
        ),
        (
            "ops without a sale",
            "SELECT count(*) FROM outbox WHERE kind = 'sale.create' AND op_id NOT IN (SELECT op_id FROM sales)",
        ),
        ("entries without a sale", "SELECT count(*) FROM journal WHERE entity_id NOT IN (SELECT id FROM sales)"),
        (
            "sold items without a sale",
            "SELECT count(*) FROM items WHERE status = 'sold_pending' AND id NOT IN (SELECT item_id FROM sale_lines)",
        ),
        (
            "sale lines whose item is not sold",
            "SELECT count(*) FROM sale_lines l JOIN items i ON i.id = l.item_id WHERE i.status <> 'sold_pending'",
        ),
        (
            "items sold twice",
            "SELECT count(*) FROM (SELECT item_id FROM sale_lines GROUP BY item_id HAVING count(*) > 1)",
        ),
    ] {
        assert_eq!(scalar(&conn, sql), 0, "{what}");
    }

    // Gapless: seqs, invoice numbers and journal indexes.
    for (what, table, col) in
        [("seq", "outbox", "seq"), ("invoice", "sales", "invoice_no"), ("journal", "journal", "idx")]
    {
        let (n, lo, hi) = (
            scalar(&conn, &format!("SELECT count(*) FROM {table}")),
            scalar(&conn, &format!("SELECT min({col}) FROM {table}")),
            scalar(&conn, &format!("SELECT max({col}) FROM {table}")),
        );
        assert_eq!((lo, hi), (1, n), "{what} is not gapless");
    }
    let counters = scalar(&conn, "SELECT value FROM counters WHERE name = 'outbox_seq'");
    assert_eq!(counters, scalar(&conn, "SELECT count(*) FROM outbox"), "the seq counter matches the outbox");

    // The journal chain verifies.
    let verify = t.ok(&["verify-journal", "--json"]).json();
    assert_eq!(verify["entries"].as_i64(), Some(sales));
}

/// Closes killed with SIGKILL: how many must land mid-run, and the bound.
const CLOSE_KILLS: usize = 40;
const MAX_CLOSES: usize = 160;

#[test]
fn sigkill_while_closing_shifts_leaves_z_numbers_gapless_and_every_z_in_the_chain() {
    let t = Till::ready();
    let csv = t.data_dir().join("items.csv");
    let mut rows = String::from("tag,name,weight,purity,wage_percent\n");
    for i in 0..=MAX_CLOSES {
        rows.push_str(&format!("Z{i:04},گردنبند,{}.{:03},750,12\n", 1 + i % 7, i % 1000));
    }
    std::fs::write(&csv, rows).expect("csv");
    t.ok(&["item", "import", csv.to_str().expect("path")]);
    let close = || {
        t.command(&["--json", "shift", "close", "--count", "1000000=3"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn zargar shift close")
    };

    // How long one close takes here, to spread the kills over its lifetime.
    let mut typical = Duration::ZERO;
    for tag in ["Z0000", "Z0001"] {
        t.ok(&["sell", "--item", tag, "--pay", "cash=10000000000"]);
        let started = Instant::now();
        assert!(close().wait_with_output().expect("wait").status.success());
        typical += started.elapsed() / 2;
    }
    let seed: u64 = std::env::var("ZARGAR_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("close crash test: seed {seed}, one close takes about {typical:?}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);

    // z_no → shift id, for every close the command said it saved.
    let mut reported: BTreeMap<u64, String> = BTreeMap::new();
    let (mut kills, mut attempt) = (0, 2);
    while kills < CLOSE_KILLS && attempt < MAX_CLOSES {
        // A sale opens the next shift (when the last close committed).
        t.ok(&["sell", "--item", &format!("Z{attempt:04}"), "--pay", "cash=10000000000"]);
        attempt += 1;
        let (killed, saved) = kill_at_random(close(), typical, &mut rng);
        kills += usize::from(killed);
        if let Some(v) = saved {
            let z = &v["z_report"];
            reported.insert(z["z_no"].as_u64().expect("z_no"), z["report"]["shift"]["id"].as_str().expect("id").into());
        }
    }
    eprintln!("close crash test: {kills} kills in {attempt} attempts, {} closes reported", reported.len());
    assert!(kills >= CLOSE_KILLS, "only {kills} kills landed mid-close in {attempt} attempts");
    // A close killed before its commit left the shift open: close it now.
    let _ = t.command(&["shift", "close"]).output().expect("last close");

    let conn = Connection::open(t.db()).expect("open");
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity");
    assert_eq!(ok, "ok");
    let (n, lo, hi) = (
        scalar(&conn, "SELECT count(*) FROM shifts WHERE z_no IS NOT NULL"),
        scalar(&conn, "SELECT min(z_no) FROM shifts"),
        scalar(&conn, "SELECT max(z_no) FROM shifts"),
    );
    assert_eq!((lo, hi), (1, n), "Z numbers are gapless");
    assert_eq!(scalar(&conn, "SELECT value FROM counters WHERE name = 'z_no'"), n, "the counter matches");
    for (no, id) in &reported {
        let found = scalar(&conn, &format!("SELECT count(*) FROM shifts WHERE z_no = {no} AND id = '{id}'"));
        assert_eq!(found, 1, "Z report {no} was reported saved but is not there");
    }
    for (what, sql) in [
        (
            "closed shifts without their journal entry",
            "SELECT count(*) FROM shifts s WHERE s.z_no IS NOT NULL AND NOT EXISTS
               (SELECT 1 FROM journal j WHERE j.idx = s.journal_index AND j.entity_id = s.id AND j.kind = 'z_report')",
        ),
        (
            "closed shifts without their op",
            "SELECT count(*) FROM shifts s WHERE s.z_no IS NOT NULL AND NOT EXISTS
               (SELECT 1 FROM outbox o WHERE o.kind = 'shift.close' AND o.entity_id = s.id)",
        ),
        (
            "Z entries without a closed shift",
            "SELECT count(*) FROM journal WHERE kind = 'z_report'
               AND entity_id NOT IN (SELECT id FROM shifts WHERE z_no IS NOT NULL)",
        ),
        ("sales outside a shift", "SELECT count(*) FROM sales WHERE shift_id IS NULL"),
        ("shifts open at once", "SELECT max(0, count(*) - 1) FROM shifts WHERE closed_at IS NULL"),
    ] {
        assert_eq!(scalar(&conn, sql), 0, "{what}");
    }
    // Each Z's grand total is every sale (less returns) made before it.
    let mismatched = scalar(
        &conn,
        "SELECT count(*) FROM shifts z WHERE z.z_no IS NOT NULL AND CAST(json_extract(z.z, '$.grand_total') AS INTEGER) <>
           (SELECT coalesce(sum(s.total), 0) FROM sales s JOIN shifts w ON w.id = s.shift_id WHERE w.z_no <= z.z_no)",
    );
    assert_eq!(mismatched, 0, "a Z grand total is all sales up to its close");
    let verify = t.ok(&["verify-journal", "--json"]).json();
    assert_eq!(verify["entries"].as_i64(), Some(scalar(&conn, "SELECT count(*) FROM journal")));
}
