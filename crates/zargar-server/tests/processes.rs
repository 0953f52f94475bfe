//! Two server processes on one database, as behind a load balancer: two
//! tills of one shop, each talking to a different process, sell the same
//! piece at the same moment, round after round. Exactly one sale wins each
//! round, whichever process took it, and the owner's export says so.

mod common;

use std::collections::BTreeMap;

use common::Server;
use uuid::Uuid;
use zargar_wire::{ConflictKind, ItemStatus, OpBody, OpStatus};

const ROUNDS: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_database_let_exactly_one_of_two_simultaneous_sales_of_a_piece_win() {
    let started = std::time::Instant::now();
    let server = Server::start();
    let second = server.another_process(&[]);
    let shop = server.shop("Zarrin");
    // Enrolled on either process: A on the first, B on the second.
    let mut a = server.till(&shop, "counter 1", "till").await;
    let mut b = server.till_via(&second.base, &shop, "counter 2", "till").await;
    let owner = server.till_via(&second.base, &shop, "owner", "owner").await;
    assert_ne!(a.base, b.base, "the two tills talk to different processes");
    // Each process knows the device the other enrolled.
    let mut a_on_2 = a.clone();
    a_on_2.base = second.base.clone();
    assert_eq!(a_on_2.get("/api/v1/sync/status").await.status, 200);
    let mut b_on_1 = b.clone();
    b_on_1.base = server.base.clone();
    assert_eq!(b_on_1.get("/api/v1/sync/status").await.status, 200);

    let (_, price) = a.pull_priced().await;
    // A fresh piece per round, all imported before the first.
    let pieces = server.stock(&shop, &a, "RACE", ROUNDS).await;
    assert_eq!(pieces.len(), ROUNDS);

    let mut winner_of: BTreeMap<Uuid, (Uuid, Uuid)> = BTreeMap::new(); // item -> (device, sale)
    let mut wins = [0usize; 2];
    for piece in &pieces {
        let op_a = a.sale(std::slice::from_ref(piece), &price);
        let op_b = b.sale(std::slice::from_ref(piece), &price);
        let sale_id = |op: &zargar_wire::Op| match &op.body {
            OpBody::SaleCreate(s) => s.sale_id,
            other => panic!("not a sale: {other:?}"),
        };
        let (sale_a, sale_b) = (sale_id(&op_a), sale_id(&op_b));
        let (ra, rb) = tokio::join!(a.push(std::slice::from_ref(&op_a)), b.push(std::slice::from_ref(&op_b)));
        let (ra, rb) = (ra.push(), rb.push());
        let (ra, rb) = (&ra.results[0], &rb.results[0]);
        let applied = [ra.status, rb.status].iter().filter(|s| **s == OpStatus::Applied).count();
        assert_eq!(applied, 1, "{}: process 1 answered {ra:?}, process 2 answered {rb:?}", piece.tag);
        let (loser, winner_device, winner_sale) = if ra.status == OpStatus::Applied {
            wins[0] += 1;
            (rb, a.device_id, sale_a)
        } else {
            wins[1] += 1;
            (ra, b.device_id, sale_b)
        };
        assert_eq!(loser.status, OpStatus::Conflict, "{}: {loser:?}", piece.tag);
        let conflict = loser.conflict.as_ref().expect("a conflict");
        assert_eq!(conflict.kind, ConflictKind::ItemAlreadySold, "{}: {conflict:?}", piece.tag);
        // The losing process names the sale the other process committed.
        assert_eq!(conflict.server_state.item_id, Some(piece.item_id));
        assert_eq!(conflict.server_state.sold_by_device, Some(winner_device), "{}", piece.tag);
        assert_eq!(conflict.server_state.sold_in_sale, Some(winner_sale), "{}", piece.tag);
        winner_of.insert(piece.item_id, (winner_device, winner_sale));
    }
    eprintln!("wins: till A (process 1) {}, till B (process 2) {}", wins[0], wins[1]);

    // Each till's seq advanced once per round, on both processes' view.
    for till in [&a, &b, &a_on_2, &b_on_1] {
        assert_eq!(till.get("/api/v1/sync/status").await.json()["acked_seq"], ROUNDS as u64);
    }
    let open = owner.get("/api/v1/conflicts").await.json();
    assert_eq!(open["conflicts"].as_array().expect("conflicts").len(), ROUNDS, "one open conflict per round");

    // The owner's export: every round one applied and one conflict sale,
    // the applied one the winner's.
    let export = owner.get("/api/v1/export?from=2000-01-01&to=2100-01-01&format=json").await;
    assert_eq!(export.status, 200, "{}", export.text());
    let rows = export.json()["rows"].as_array().expect("rows").clone();
    let race: Vec<_> = rows.iter().filter(|r| r["tag"].as_str().is_some_and(|t| t.starts_with("RACE-"))).collect();
    assert_eq!(race.len(), rows.len(), "only the race was sold");
    let count = |status: &str| race.iter().filter(|r| r["sync_status"] == status).count();
    assert_eq!((count("applied"), count("conflict")), (ROUNDS, ROUNDS), "{rows:#?}");
    let mut by_tag: BTreeMap<&str, Vec<&serde_json::Value>> = BTreeMap::new();
    for r in &race {
        by_tag.entry(r["tag"].as_str().expect("tag")).or_default().push(r);
    }
    assert_eq!(by_tag.len(), ROUNDS);
    for piece in &pieces {
        let lines = &by_tag[piece.tag.as_str()];
        let applied: Vec<_> = lines.iter().filter(|r| r["sync_status"] == "applied").collect();
        assert_eq!(applied.len(), 1, "{} sold once: {lines:#?}", piece.tag);
        let (device, sale) = winner_of[&piece.item_id];
        assert_eq!(applied[0]["device_id"], device.to_string(), "{}", piece.tag);
        assert_eq!(applied[0]["sale_id"], sale.to_string(), "{}", piece.tag);
    }

    // Every piece is sold on the server, by the winner's sale.
    let (items, _) = owner.pull_all().await;
    for piece in &pieces {
        let now = items.iter().find(|i| i.item_id == piece.item_id).expect("the piece");
        assert_eq!(now.status, ItemStatus::Sold, "{}", piece.tag);
    }
    eprintln!("{ROUNDS} rounds in {:?} on {}", started.elapsed(), server.backend.describe());
    drop(second);
}
