//! PostgreSQL restarted under the server while tills push: a push in flight
//! fails or finishes, the tills send the same batches again, and every sale
//! lands exactly once; the server itself stays up and serves again.
//!
//! PostgreSQL only: it needs `ZARGAR_TEST_POSTGRES` and
//! `ZARGAR_TEST_PG_RESTART` (scripts/test-postgres sets both), and it is
//! alone in its test binary, because a restart would break any test running
//! beside it.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Server, backend};
use zargar_wire::{ItemStatus, OpStatus};

const TILLS: usize = 3;
const BATCHES: usize = 12;
const BATCH: usize = 10;
/// How long a batch may go unaccepted while the database comes back.
const OUTAGE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_restart_under_pushing_tills_loses_and_doubles_nothing() {
    if !common::on_postgres() || std::env::var_os(backend::PG_RESTART_ENV).is_none() {
        eprintln!(
            "skipped: needs {} and {} (scripts/test-postgres sets them)",
            backend::POSTGRES_ENV,
            backend::PG_RESTART_ENV
        );
        return;
    }
    let server = Server::start();
    let shop = server.shop("Zarrin");
    let total = TILLS * BATCHES * BATCH;
    let (tills, pieces, price) = server.tills_with_stock(&shop, TILLS, "R", BATCHES * BATCH).await;

    // Each till sells its own pieces, a batch at a time, with a pause
    // between batches so that the pushes go on through the restart; a push
    // that fails is sent again, the same, until it is accepted.
    let first_batches_in = Arc::new(AtomicUsize::new(0));
    let mut pushing = Vec::new();
    for (t, mut till) in tills.into_iter().enumerate() {
        let mine = &pieces[t * BATCHES * BATCH..(t + 1) * BATCHES * BATCH];
        let batches = till.sales_in_batches(mine, BATCH, &price);
        let first_batches_in = Arc::clone(&first_batches_in);
        pushing.push(tokio::spawn(async move {
            let mut failed = 0usize;
            for (b, batch) in batches.iter().enumerate() {
                let last_seq = batch.last().expect("a batch").seq;
                let since = Instant::now();
                loop {
                    match till.push_raw(batch).await {
                        Ok(r) if r.status == 200 => {
                            let answer = r.push();
                            assert_eq!(answer.acked_seq, last_seq, "till {t}, batch {b}");
                            for result in &answer.results {
                                assert!(
                                    matches!(result.status, OpStatus::Applied | OpStatus::Duplicate),
                                    "till {t}, batch {b}: {result:?}"
                                );
                            }
                            break;
                        }
                        Ok(r) => {
                            // The database is away: the server says so, and nothing else.
                            assert!(r.status >= 500, "till {t}, batch {b}: answered {} {}", r.status, r.text());
                            assert!(!r.text().to_lowercase().contains("panicked"), "{}", r.text());
                            failed += 1;
                        }
                        Err(_) => failed += 1,
                    }
                    assert!(since.elapsed() < OUTAGE, "till {t}, batch {b}: not accepted within {OUTAGE:?}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                if b == 0 {
                    first_batches_in.fetch_add(1, Ordering::SeqCst);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            failed
        }));
    }

    // The restart, once every till has its first batch in: the rest straddle it.
    let since = Instant::now();
    while first_batches_in.load(Ordering::SeqCst) < TILLS {
        assert!(since.elapsed() < OUTAGE, "the first batches never landed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let restart = Instant::now();
    let restarted = tokio::task::spawn_blocking(backend::restart_postgres).await.expect("join the restart");
    assert!(restarted, "{} is set", backend::PG_RESTART_ENV);
    eprintln!("PostgreSQL restarted in {:?}", restart.elapsed());
    let mut failed = 0;
    for till in pushing {
        failed += till.await.expect("a till's pushes");
    }
    eprintln!("{failed} pushes failed around the restart and were sent again");

    // Exactly once: every piece sold once, one export line per sale.
    let owner = server.till(&shop, "owner", "owner").await;
    let rows = owner.get("/api/v1/export?from=2000-01-01&to=2100-01-01&format=json").await.json();
    let rows = rows["rows"].as_array().expect("rows").clone();
    assert_eq!(rows.len(), total, "one export line per sale");
    let sales: HashSet<_> = rows.iter().map(|r| r["sale_id"].as_str().expect("id").to_owned()).collect();
    assert_eq!(sales.len(), total, "no sale twice");
    let (items, _) = owner.pull_all().await;
    let sold = items.iter().filter(|i| i.tag.starts_with("R-") && i.status == ItemStatus::Sold).count();
    assert_eq!(sold, total);
    let health = reqwest::get(format!("{}/healthz", server.base)).await.expect("healthz");
    assert_eq!(health.status(), 200);
}
