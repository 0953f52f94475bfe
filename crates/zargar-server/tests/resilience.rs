//! The server killed in the middle of a push, and stopped politely during one.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::Server;
use zargar_wire::{ItemStatus, OpStatus};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_push_and_restarted_the_same_batch_lands_exactly_once() {
    const ROUNDS: usize = 8;
    const BATCH: usize = 200;
    let mut server = Server::start();
    let (shop, [mut till]) = server.shop_with("Zarrin", [("counter 1", "till")]).await;
    let (_, price) = till.pull_priced().await;
    let pieces = server.stock(&shop, &till, "K", ROUNDS * BATCH).await;
    assert_eq!(pieces.len(), ROUNDS * BATCH);

    let mut interrupted = 0;
    let mut committed_before_kill = 0;
    for round in 0..ROUNDS {
        let batch: Vec<_> = pieces[round * BATCH..(round + 1) * BATCH]
            .iter()
            .map(|p| till.sale(std::slice::from_ref(p), &price))
            .collect();
        let pusher = till.clone();
        let ops = batch.clone();
        let in_flight = tokio::spawn(async move { pusher.push_raw(&ops).await });
        // Kill at a different moment each round: before, during and after the commit.
        tokio::time::sleep(Duration::from_millis(2 + 25 * round as u64)).await;
        server.kill();
        let first = in_flight.await.expect("join");
        if first.as_ref().map_or(true, |r| r.status != 200) {
            interrupted += 1;
        }
        server.spawn(&[]);
        till.base = server.base.clone();

        let again = till.push(&batch).await.push();
        assert_eq!(again.acked_seq, till.book.seq, "round {round}");
        // A push commits as one: after a kill it is all there or not at all.
        let landed = again.results.iter().filter(|r| r.status == OpStatus::Duplicate).count();
        assert!(landed == 0 || landed == BATCH, "round {round}: {landed} of {BATCH} had landed");
        committed_before_kill += usize::from(landed == BATCH);
        for r in &again.results {
            assert!(matches!(r.status, OpStatus::Applied | OpStatus::Duplicate), "round {round}: {r:?}");
        }
        // Whatever the first attempt got to, the first push's answer (if any) agrees with the replay.
        if let Ok(first) = first
            && first.status == 200
        {
            let first = first.push();
            for (a, b) in first.results.iter().zip(&again.results) {
                assert_eq!(b.status, OpStatus::Duplicate);
                assert_eq!(a.server_id, b.server_id);
            }
        }
    }

    // Exactly once: every piece sold once, one export line per sale, no sale twice.
    let owner = server.till(&shop, "owner", "owner").await;
    let rows = owner.get("/api/v1/export?from=2000-01-01&to=2100-01-01&format=json").await.json();
    let rows = rows["rows"].as_array().expect("rows").clone();
    assert_eq!(rows.len(), ROUNDS * BATCH);
    let sales: HashSet<_> = rows.iter().map(|r| r["sale_id"].as_str().expect("id").to_owned()).collect();
    assert_eq!(sales.len(), ROUNDS * BATCH);
    let (items, _) = owner.pull_all().await;
    let sold = items.iter().filter(|i| i.tag.starts_with("K-") && i.status == ItemStatus::Sold).count();
    assert_eq!(sold, ROUNDS * BATCH);
    eprintln!(
        "{interrupted} of {ROUNDS} first attempts were cut off by the kill; {committed_before_kill} had committed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_an_in_flight_push_finish_and_answer() {
    let mut server = Server::start();
    let (shop, [mut till]) = server.shop_with("Zarrin", [("counter 1", "till")]).await;
    let (_, price) = till.pull_priced().await;
    let pieces = server.stock(&shop, &till, "T", 400).await;
    let batch: Vec<_> = pieces.iter().map(|p| till.sale(std::slice::from_ref(p), &price)).collect();

    // Wait until the request is on the wire, then ask the server to stop.
    let pusher = till.clone();
    let ops = batch.clone();
    let in_flight = tokio::spawn(async move { pusher.push_raw(&ops).await });
    tokio::time::sleep(Duration::from_millis(30)).await;
    let exit = tokio::task::spawn_blocking(move || {
        let status = server.terminate();
        (status, server)
    });
    let answer = in_flight.await.expect("join");
    let (status, mut server) = exit.await.expect("join");
    assert!(status.success(), "the server exits cleanly on SIGTERM: {status:?}");
    match answer {
        Ok(reply) => {
            // It was in flight: it was finished and answered, all applied.
            let reply = reply.push();
            assert_eq!(reply.results.len(), batch.len());
            assert!(reply.results.iter().all(|r| r.status == OpStatus::Applied));
        }
        // Not yet accepted when the server stopped listening: nothing half-done.
        Err(e) => eprintln!("the push had not reached the server: {e}"),
    }
    server.spawn(&[]);
    till.base = server.base.clone();
    let again = till.push(&batch).await.push();
    assert_eq!(again.acked_seq, batch.len() as u64);
    assert!(again.results.iter().all(|r| matches!(r.status, OpStatus::Applied | OpStatus::Duplicate)));
}
