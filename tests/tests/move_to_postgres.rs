//! A shop moves its server from the SQLite file to PostgreSQL: the server
//! is stopped, `zargar-server migrate-to` copies the file into a fresh,
//! migrated PostgreSQL database, and the new server listens on the old
//! address. The two tills change nothing: they keep their enrolment, their
//! seqs and their pull cursors; the sales they had not sent yet arrive once,
//! the sales made before are not sent again, the other till's new sales
//! arrive as sold pieces, the conflict left open can still be settled, and
//! the audit log still has its old entries.
//!
//! PostgreSQL only: without `ZARGAR_TEST_POSTGRES` (see scripts/test-postgres)
//! it prints a note and passes.

#![allow(clippy::print_stderr)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use serde_json::Value;
use zargar_e2e::backend::{Backend, PgCluster};
use zargar_e2e::{Server, Till, bin};

/// What a till keeps of its link to the server (its own database).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Link {
    token: String,
    enrolled_at: String,
    acked_seq: u64,
    cursor: Option<String>,
}

fn link(till: &Till) -> Link {
    let conn = rusqlite::Connection::open_with_flags(till.db(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the till's database");
    conn.query_row("SELECT device_token, enrolled_at, acked_seq, pull_cursor FROM sync_link", [], |r| {
        Ok(Link {
            token: r.get(0)?,
            enrolled_at: r.get(1)?,
            acked_seq: u64::try_from(r.get::<_, i64>(2)?).expect("a seq"),
            cursor: r.get(3)?,
        })
    })
    .expect("the till is linked")
}

/// The change position a pull cursor names (`v2.<position>.<epoch>`).
fn position(cursor: &Option<String>) -> u64 {
    let c = cursor.as_deref().expect("a pull cursor");
    c.split('.').nth(1).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("a cursor like v2.N.E: {c:?}"))
}

/// Sells and keeps what the till saved: sale id -> tags.
fn sell(till: &Till, tags: &[&str], sold: &mut BTreeMap<String, Vec<String>>) -> String {
    let sale = till.sell(tags);
    let id = sale["id"].as_str().expect("sale id").to_owned();
    sold.insert(id.clone(), tags.iter().map(|t| (*t).to_owned()).collect());
    id
}

/// One sync round that must succeed: its report.
fn sync(till: &Till) -> Value {
    let out = till.run(&["--json", "sync"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}: sync failed: {text}{}", till.name, String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: sync said ({e}): {text}", till.name));
    v["round"].clone()
}

fn device_ids(server: &Server, shop: &str) -> BTreeSet<String> {
    server.admin(&["device", "list", "--tenant", shop]).lines().map(|l| l.to_owned()).collect()
}

#[test]
fn a_shop_moved_from_sqlite_to_postgres_keeps_its_tills_sales_cursors_conflicts_and_audit() {
    let Some(cluster) = PgCluster::from_env() else {
        eprintln!("skipped: moving to PostgreSQL needs a cluster (ZARGAR_TEST_POSTGRES; run scripts/test-postgres)");
        return;
    };
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("tempdir");
    let old_db = tmp.path().join("server.db");
    let mut server = Server::start_on(Backend::Sqlite(old_db.clone()), None);
    let url = server.url();
    let mut tags: Vec<String> = (0..8).flat_map(|n| [format!("A-{n}"), format!("B-{n}")]).collect();
    tags.push("RING".into());
    let shop = server.shop("طلای جابجا", &tags, tmp.path());
    let shop_id = shop.to_string();
    let owner = server.owner(shop);
    let a = Till::init(&tmp.path().join("a"), "till A");
    let b = Till::init(&tmp.path().join("b"), "till B");
    for t in [&a, &b] {
        t.enroll(&url, &server.enrol_code(shop, "till"));
        sync(t);
    }
    let (mut sold_a, mut sold_b) = (BTreeMap::new(), BTreeMap::new());

    // On SQLite: sales synced, and the same ring sold at both tills offline.
    sell(&a, &["A-0"], &mut sold_a);
    let ring_a = sell(&a, &["RING"], &mut sold_a);
    sell(&b, &["B-0", "B-1"], &mut sold_b);
    let ring_b = sell(&b, &["RING"], &mut sold_b);
    assert_eq!(sync(&a)["applied"], 2);
    assert_eq!(sync(&b)["conflicts"], 1);
    sync(&a);
    let open: Vec<Value> = b.conflicts(false).into_iter().filter(|c| c["mine"] == true).collect();
    assert_eq!(open.len(), 1, "{open:#?}");
    assert_eq!(open[0]["conflict"]["kind"], "item_already_sold");
    let conflict_op = open[0]["op_id"].as_str().expect("op id").to_owned();
    // Sold, not yet sent, when the server stops.
    sell(&a, &["A-1"], &mut sold_a);
    sell(&a, &["A-2", "A-3"], &mut sold_a);
    sell(&b, &["B-2"], &mut sold_b);
    let pending_a = a.status()["pending"].as_u64().expect("pending");
    let pending_b = b.status()["pending"].as_u64().expect("pending");
    assert_eq!((a.status()["pending_sales"].as_u64(), b.status()["pending_sales"].as_u64()), (Some(2), Some(1)));

    let (link_a, link_b) = (link(&a), link(&b));
    let (device_a, device_b) = (a.status()["device_id"].clone(), b.status()["device_id"].clone());
    let devices_before = device_ids(&server, &shop_id);
    let audit_before: Vec<String> = server.admin(&["audit", "--tenant", &shop_id]).lines().map(str::to_owned).collect();
    assert!(audit_before.len() >= 4, "enrolments and the price are audited: {audit_before:#?}");
    let rows_before = owner.export(&server);
    let old = Backend::Sqlite(old_db.clone());
    let sqlite_counts: BTreeMap<&str, u64> =
        ["tenants", "devices", "op_results", "sales", "sale_lines", "changes", "audit"]
            .into_iter()
            .map(|t| (t, old.count(&format!("SELECT count(*) FROM {t}"))))
            .collect();

    // The move: stop, copy, serve PostgreSQL on the same address.
    assert!(server.stop(), "the SQLite server stops cleanly on SIGTERM");
    let pg = cluster.fresh_database(&bin("zargar-server"));
    let out = std::process::Command::new(bin("zargar-server"))
        .env_remove("ZARGAR_SERVER_DB")
        .env_remove("ZARGAR_DATABASE_URL")
        .arg("--db")
        .arg(&old_db)
        .args(["migrate-to", "--database-url", &pg.owner_url()])
        .output()
        .expect("run migrate-to");
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "migrate-to failed: {printed}{}", String::from_utf8_lossy(&out.stderr));
    let copied: BTreeMap<&str, u64> = printed
        .lines()
        .map(|l| {
            let (t, n) = l.split_once('\t').unwrap_or_else(|| panic!("not `table\\tcount`: {l:?}"));
            (t, n.trim().parse().unwrap_or_else(|_| panic!("not a count: {l:?}")))
        })
        .collect();
    for (table, n) in &sqlite_counts {
        assert_eq!(copied.get(table), Some(n), "migrate-to copied {table}: {printed}");
        assert_eq!(pg.psql(&format!("SELECT count(*) FROM {table}")).trim(), n.to_string(), "{table} in PostgreSQL");
    }
    let server = Server::start_on(Backend::Postgres(pg), Some(server.addr));
    assert_eq!(server.url(), url, "the new server is where the tills look");
    assert!(server.backend.is_postgres());
    assert_eq!(device_ids(&server, &shop_id), devices_before, "the same devices, none revoked, none new");

    // The tills sync, unchanged: what was pending arrives, nothing again.
    let round_a = sync(&a);
    assert_eq!((round_a["applied"].as_u64(), round_a["duplicates"].as_u64()), (Some(pending_a), Some(0)), "{round_a}");
    let round_b = sync(&b);
    assert_eq!((round_b["applied"].as_u64(), round_b["duplicates"].as_u64()), (Some(pending_b), Some(0)), "{round_b}");
    assert_eq!((round_a["resets"].as_u64(), round_b["resets"].as_u64()), (Some(0), Some(0)), "no cursor refused");
    for (t, before) in [(&a, &link_a), (&b, &link_b)] {
        let now = link(t);
        assert_eq!((&now.token, &now.enrolled_at), (&before.token, &before.enrolled_at), "{}: enrolled once", t.name);
        assert_eq!(now.acked_seq, t.status()["last_seq"].as_u64().expect("last seq"), "{}: all acked", t.name);
        assert!(position(&now.cursor) >= position(&before.cursor), "{}: {before:?} -> {now:?}", t.name);
    }
    assert_eq!(link(&a).acked_seq, link_a.acked_seq + pending_a, "A's seqs go on from where they were");
    assert_eq!(link(&b).acked_seq, link_b.acked_seq + pending_b, "B's seqs go on from where they were");
    assert_eq!((a.status()["device_id"].clone(), b.status()["device_id"].clone()), (device_a, device_b));

    // New sales after the move reach the other till through its old cursor.
    sell(&a, &["A-4"], &mut sold_a);
    sell(&b, &["B-3"], &mut sold_b);
    assert_eq!(sync(&a)["applied"], 1);
    assert_eq!(sync(&b)["applied"], 1);
    let before = link(&a);
    let pulled = sync(&a);
    assert_eq!(pulled["resets"], 0, "{pulled}");
    assert!(
        pulled["pulled"].as_u64().is_some_and(|n| (1..tags.len() as u64).contains(&n)),
        "A pulls only what is new, from its cursor: {pulled}"
    );
    assert!(position(&link(&a).cursor) > position(&before.cursor), "A's cursor moves on");
    assert_eq!(a.item_status("B-3"), "sold", "B's sale after the move reached A");
    assert_eq!(b.item_status("A-4"), "sold", "A's sale after the move reached B");
    assert_eq!(b.item_status("A-2"), "sold", "A's sale sent after the move reached B");

    // The conflict left open on SQLite is open here, and can be settled.
    let open: Vec<Value> = b.conflicts(false).into_iter().filter(|c| c["mine"] == true).collect();
    assert_eq!(open.len(), 1, "{open:#?}");
    assert_eq!(open[0]["op_id"], conflict_op.as_str());
    let by = "Maryam Zargar (owner)";
    b.ok(&["conflicts", "resolve", &conflict_op, "--resolution", "void", "--by", by]);
    assert_eq!(sync(&b)["applied"], 1, "the decision is applied on PostgreSQL");
    sync(&a);
    for t in [&a, &b] {
        assert!(t.conflicts(false).is_empty(), "{} still shows a conflict", t.name);
        assert_eq!(t.status()["pending"], 0, "{}", t.name);
        t.ok(&["verify-journal"]);
    }

    // The owner (its token copied too): every sale once, each till's own.
    let rows = owner.export(&server);
    let mut lines = BTreeSet::new();
    let mut by_device: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for r in &rows {
        let sale = r["sale_id"].as_str().expect("sale id").to_owned();
        assert!(lines.insert((sale.clone(), r["line_no"].as_u64())), "a sale line twice: {r}");
        let device = r["device_id"].as_str().expect("device").to_owned();
        by_device.entry(device).or_default().entry(sale).or_default().push(r["tag"].as_str().expect("tag").into());
    }
    for (t, sold) in [(&a, &sold_a), (&b, &sold_b)] {
        let device = t.status()["device_id"].as_str().expect("device").to_owned();
        let mut on_server = by_device.remove(&device).unwrap_or_default();
        on_server.values_mut().for_each(|tags| tags.sort());
        let mut own = sold.clone();
        own.values_mut().for_each(|tags| tags.sort());
        assert_eq!(on_server, own, "{}: the server has exactly the till's sales", t.name);
        assert_eq!(t.sales().len(), sold.len(), "{}", t.name);
    }
    assert!(by_device.is_empty(), "sales of no till: {by_device:?}");
    let status_of = |sale: &str| -> Vec<&str> {
        rows.iter().filter(|r| r["sale_id"] == sale).map(|r| r["sync_status"].as_str().expect("status")).collect()
    };
    assert_eq!(status_of(&ring_a), ["applied"]);
    assert_eq!(status_of(&ring_b), ["voided"]);
    assert_eq!(rows.iter().filter(|r| r["sync_status"] == "applied").count(), rows.len() - 1);
    // What the export said before the move, it says still (but the void).
    for r in &rows_before {
        let sale = r["sale_id"].as_str().expect("sale id");
        if sale != ring_b {
            assert!(rows.contains(r), "a row changed in the move: {r}");
        }
    }

    // The audit log: the old entries, then the void.
    let audit: Vec<String> = server.admin(&["audit", "--tenant", &shop_id]).lines().map(str::to_owned).collect();
    assert_eq!(audit[..audit_before.len().min(audit.len())], audit_before[..], "the old entries, as they were");
    let void = audit[audit_before.len()..].iter().find(|l| l.contains("conflict.void")).expect("the void is audited");
    assert!(void.contains(by) && void.contains("till B"), "{void}");
    eprintln!("moved in {:?}; {} rows copied", started.elapsed(), copied.values().sum::<u64>());
}
