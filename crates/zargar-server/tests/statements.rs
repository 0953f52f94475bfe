//! How the server sends its statements to PostgreSQL: kept prepared on each
//! pooled connection when it talks to PostgreSQL itself, and unnamed once a
//! transaction pooler (PgBouncer in transaction mode) shows itself between,
//! which the server notices by itself. Either way every sale lands once.
//!
//! PostgreSQL only; scripts/test-postgres runs it straight to the cluster
//! and through pgbouncer.

mod common;

use common::Backend;
use common::Server;
use zargar_wire::{ItemStatus, OpStatus};

const TILLS: usize = 4;
const BATCHES: usize = 6;
const BATCH: usize = 5;
const POOLER_SEEN: &str = "a transaction pooler is between this server and PostgreSQL";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_keeps_its_statements_or_notices_a_pooler_and_every_sale_lands_once() {
    if !common::on_postgres() {
        eprintln!("skipped: PostgreSQL only (scripts/test-postgres)");
        return;
    }
    let server = Server::start_logging();
    let Backend::Postgres(db) = &server.backend else { unreachable!("on PostgreSQL") };
    let behind_pooler = db.through_pgbouncer();
    let shop = server.shop("Zarrin");
    let total = TILLS * BATCHES * BATCH;
    let (tills, pieces, price) = server.tills_with_stock(&shop, TILLS, "PQ", BATCHES * BATCH).await;

    // The tills push at once, so that the server's pool opens several
    // connections and a pooler hands each transaction whichever it has.
    let mut pushing = Vec::new();
    for (t, mut till) in tills.into_iter().enumerate() {
        let mine = &pieces[t * BATCHES * BATCH..(t + 1) * BATCHES * BATCH];
        let batches = till.sales_in_batches(mine, BATCH, &price);
        pushing.push(tokio::spawn(async move {
            for (b, batch) in batches.iter().enumerate() {
                let answer = till.push_raw(batch).await.expect("push");
                assert_eq!(answer.status, 200, "till {t}, batch {b}: {}", answer.text());
                for result in &answer.push().results {
                    assert_eq!(result.status, OpStatus::Applied, "till {t}, batch {b}: {result:?}");
                }
            }
            till
        }));
    }
    let mut tills = Vec::new();
    for p in pushing {
        tills.push(p.await.expect("a till's pushes"));
    }

    let (items, _) = tills[0].pull_all().await;
    let sold = items.iter().filter(|i| i.status == ItemStatus::Sold).count();
    assert_eq!(sold, total, "every piece sold once, as the server has it");
    let log = server.log_text();
    if behind_pooler {
        assert!(log.contains(POOLER_SEEN), "behind pgbouncer the server says so in its log:\n{log}");
    } else {
        assert!(!log.contains(POOLER_SEEN), "straight to PostgreSQL the server keeps its statements:\n{log}");
    }
}
