//! Push against the real server: exactly once, in order, first commit wins.

mod common;

use common::Server;
use zargar_wire::{ConflictKind, OpStatus};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_ops_twice_are_duplicates_with_the_first_results_and_apply_once() {
    let server = Server::start();
    let (shop, [mut till]) = server.shop_with("Zarrin", [("counter 1", "till")]).await;
    let (items, price) = till.pull_priced().await;
    let ops = vec![till.sale(&items[0..1], &price), till.sale(&items[1..3], &price)];

    let first = till.push(&ops).await.push();
    assert_eq!(first.acked_seq, 2);
    assert!(first.results.iter().all(|r| r.status == OpStatus::Applied), "{first:?}");

    let again = till.push(&ops).await.push();
    assert_eq!(again.acked_seq, 2);
    for (a, b) in first.results.iter().zip(&again.results) {
        assert_eq!(b.status, OpStatus::Duplicate);
        assert_eq!(b.first_status, Some(OpStatus::Applied));
        assert_eq!((b.op_id, b.seq, b.server_id), (a.op_id, a.seq, a.server_id));
    }

    // Applied once: the owner's export has exactly the three lines.
    let owner = server.till(&shop, "owner", "owner").await;
    let export = owner.get("/api/v1/export?from=2000-01-01&to=2100-01-01&format=json").await;
    assert_eq!(export.status, 200, "{}", export.text());
    let rows = export.json()["rows"].as_array().expect("rows").clone();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["sync_status"] == "applied"));
    let (after, _) = owner.pull_all().await;
    let sold: Vec<_> =
        after.iter().filter(|i| i.status == zargar_wire::ItemStatus::Sold).map(|i| i.tag.clone()).collect();
    assert_eq!(sold.len(), 3, "{sold:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gap_gets_409_with_the_expected_seq_and_a_rewind_gets_the_stored_results() {
    let server = Server::start();
    let (_, [mut till]) = server.shop_with("Zarrin", [("counter 1", "till")]).await;
    let (items, price) = till.pull_priced().await;
    let ops: Vec<_> = (0..4).map(|i| till.sale(&items[i..i + 1], &price)).collect();

    // seq 1 and 2 land; 4 without 3 is a gap.
    let ok = till.push(&ops[0..2]).await.push();
    assert_eq!(ok.acked_seq, 2);
    let gap = till.push(&ops[3..4]).await;
    assert_eq!(gap.status, 409, "{}", gap.text());
    assert_eq!(gap.json()["expected_seq"], 3);
    assert_eq!(gap.json()["code"], "seq_mismatch");

    // A batch that has a gap inside applies nothing.
    let inner_gap = till.push(&[ops[2].clone(), ops[3].clone(), ops[3].clone()]).await;
    assert_eq!(inner_gap.status, 422, "the same op twice in one push: {}", inner_gap.text());
    let status = till.get("/api/v1/sync/status").await.json();
    assert_eq!(status["acked_seq"], 2);

    // A rewind (the till lost its acks and sends from 1 again) gets the stored results.
    let rewind = till.push(&ops).await.push();
    assert_eq!(rewind.acked_seq, 4);
    let statuses: Vec<_> = rewind.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [OpStatus::Duplicate, OpStatus::Duplicate, OpStatus::Applied, OpStatus::Applied]);
    assert_eq!(rewind.results[0].server_id, ok.results[0].server_id);

    // A different op at a used seq is not a duplicate: 409, nothing applied.
    let mut stranger = till.book.clone();
    stranger.seq = 1;
    let other = stranger.sale(&items[5..6], price.price_id, price.per_gram_18k, chrono::Utc::now());
    let r = till.push(&[other]).await;
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["expected_seq"], 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tills_sell_the_same_ring_at_once_and_exactly_one_wins_every_round() {
    const ROUNDS: usize = 100;
    let server = Server::start();
    let (shop, [mut a, mut b]) = server.shop_with("Zarrin", [("counter 1", "till"), ("counter 2", "till")]).await;
    let (_, price) = a.pull_priced().await;
    // A fresh piece per round, imported on the server.
    let csv = server.dir.join("race.csv");
    let mut text = String::from("tag,name,weight,purity,wage_percent,wage_per_gram,barcode,category,stones\n");
    for i in 0..ROUNDS {
        text.push_str(&format!("RACE-{i},انگشتر,{}.{:03},750,18,,,ring,0\n", 3 + i % 5, i));
    }
    std::fs::write(&csv, text).expect("csv");
    server.admin(&["item", "import", "--tenant", &shop.id.to_string(), csv.to_str().expect("path")]);
    let (items, _) = a.pull_all().await;
    let race: Vec<_> = items.into_iter().filter(|i| i.tag.starts_with("RACE-")).collect();
    assert_eq!(race.len(), ROUNDS);

    let mut wins = [0usize; 2];
    for piece in &race {
        let op_a = a.sale(std::slice::from_ref(piece), &price);
        let op_b = b.sale(std::slice::from_ref(piece), &price);
        let (ta, tb) = (a.clone(), b.clone());
        let ha = tokio::spawn(async move { ta.push(&[op_a]).await.push() });
        let hb = tokio::spawn(async move { tb.push(&[op_b]).await.push() });
        let (ra, rb) = (ha.await.expect("a"), hb.await.expect("b"));
        let (ra, rb) = (&ra.results[0], &rb.results[0]);
        let applied = [ra.status, rb.status].iter().filter(|s| **s == OpStatus::Applied).count();
        assert_eq!(applied, 1, "round {}: {ra:?} / {rb:?}", piece.tag);
        let loser = if ra.status == OpStatus::Applied { rb } else { ra };
        assert_eq!(loser.status, OpStatus::Conflict);
        let conflict = loser.conflict.as_ref().expect("conflict");
        assert_eq!(conflict.kind, ConflictKind::ItemAlreadySold);
        assert_eq!(conflict.server_state.item_id, Some(piece.item_id));
        wins[usize::from(ra.status != OpStatus::Applied)] += 1;
    }
    assert_eq!(wins[0] + wins[1], ROUNDS);

    // The owner sees one open conflict per round, and each loser's seq advanced.
    let conflicts = a.get("/api/v1/conflicts").await.json();
    assert_eq!(conflicts["conflicts"].as_array().expect("list").len(), ROUNDS);
    assert_eq!(a.get("/api/v1/sync/status").await.json()["acked_seq"], ROUNDS as u64);
    assert_eq!(b.get("/api/v1/sync/status").await.json()["acked_seq"], ROUNDS as u64);
}
