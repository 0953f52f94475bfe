//! A till's closed shifts on the server: the Z report is kept once, and its
//! journal entry is part of the till's chain, so the sale after it links on.

mod common;

use chrono::Utc;
use common::Server;
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_wire::{OpBody, OpStatus, ShiftPayload};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_z_report_is_kept_once_and_the_chain_runs_through_it() {
    let server = Server::start();
    let (_shop, [mut till]) = server.shop_with("Zarrin", [("counter A", "till")]).await;
    let (items, price) = till.pull_priced().await;

    let first = till.sale(&items[..1], &price);
    let mut shift = ShiftPayload {
        shift_id: Uuid::now_v7(),
        z_no: 1,
        opened_at: Utc::now(),
        closed_at: Utc::now(),
        opened_by: None,
        closed_by: None,
        float: Some(Decimal::from(5_000_000)),
        sales: 1,
        sales_total: Decimal::from(100),
        returns: 0,
        returns_total: Decimal::ZERO,
        discounts: Decimal::ZERO,
        cash_in: Decimal::ZERO,
        cash_out: Decimal::from(1_000_000),
        cash_expected: Decimal::from(4_000_100),
        counted_total: Decimal::from(4_000_000),
        over_short: Decimal::from(-100),
        grand_total: Decimal::from(100),
        journal: till.book.next_link("z 1"),
    };
    let close = till.book.op(OpBody::ShiftClose(shift.clone()), &[], None, Utc::now());
    let after = till.sale(&items[1..2], &price);
    let reply = till.push(&[first, close, after]).await.push();
    let statuses: Vec<OpStatus> = reply.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [OpStatus::Applied; 3], "{:?}", reply.results);

    // The same shift again (a till restored from a copy): refused, with why.
    shift.journal = till.book.next_link("z 1 again");
    let again = till.book.op(OpBody::ShiftClose(shift), &[], None, Utc::now());
    let reply = till.push(&[again]).await.push();
    assert_eq!(reply.results[0].status, OpStatus::Rejected);
    let why = reply.results[0].conflict.as_ref().map(|c| c.server_state.problems.join("; ")).unwrap_or_default();
    assert!(why.contains("already recorded"), "{why}");
}
