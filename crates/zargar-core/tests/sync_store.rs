//! The store's half of sync on a real SQLite file: server answers and pull
//! pages applied in one transaction each, never over a row the till has an
//! unanswered op for. (The network half runs against the real server in the
//! workspace's end-to-end tests.)

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_core::item::ItemStatus;
use zargar_core::rules::money::Rial;
use zargar_core::sale::{PaymentInput, PaymentMethod, SaleRequest, SyncState};
use zargar_core::store::{DueChange, ResolveRequest, SaleEdit};
use zargar_core::{Store, StoreError};
use zargar_wire::{
    Change, ChangeData, ChangeOp, Conflict, ConflictKind, ConflictState, DeviceRole, EnrollResponse, ItemPayload,
    OpResult, OpStatus, PullResponse, PushResponse, Resolution, ServerState, TenantRef, TenantSettings, VatRate, Wage,
};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 11, 21, 8, 0, 0).single().expect("time")
}

fn till() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rings = ["R-1", "R-2", "R-3"].map(|tag| common::ring(tag, "انگشتر", "5"));
    let mut store = common::stocked_till(&dir.path().join("till.db"), now(), &rings);
    let enrolled = EnrollResponse {
        device_token: "zgr_test".into(),
        device_id: store.device().expect("device").device_id,
        role: DeviceRole::Till,
        tenant: TenantRef { id: Uuid::now_v7(), name: "shop".into() },
    };
    store.link_server("http://127.0.0.1:1", &enrolled, now()).expect("link");
    (dir, store)
}

fn sell(store: &mut Store, tag: &str) -> zargar_core::sale::Sale {
    let pay = PaymentInput { method: PaymentMethod::Cash, amount: Rial::from_i64(1_000_000_000_000) };
    store
        .record_sale(&SaleRequest { items: vec![tag.into()], payments: vec![pay], ..SaleRequest::default() }, now())
        .expect("sale")
        .sale
}

/// The server's answer applying (or otherwise judging) every pending op.
fn answer(store: &Store, judge: impl Fn(&zargar_wire::Op) -> (OpStatus, Option<Conflict>)) -> PushResponse {
    let ops = store.pending_ops(0, 1000).expect("ops");
    let results = ops
        .iter()
        .map(|op| {
            let (status, conflict) = judge(op);
            OpResult { op_id: op.op_id, seq: op.seq, status, first_status: None, server_id: None, conflict }
        })
        .collect();
    PushResponse { acked_seq: ops.last().map_or(0, |o| o.seq), server_time: now(), results }
}

fn item_change(store: &Store, tag: &str, version: u64, status: zargar_wire::ItemStatus, name: &str) -> Change {
    let id = store.find_item(tag).expect("find").map_or_else(Uuid::now_v7, |i| i.id);
    Change {
        id,
        version,
        op: ChangeOp::Upsert,
        data: ChangeData::Item(ItemPayload {
            item_id: id,
            tag: tag.into(),
            barcode: None,
            name: name.into(),
            category: None,
            weight: Decimal::from(5),
            purity: Decimal::from(750),
            wage_rate: Wage::Percent(Decimal::from(15)),
            stones: Decimal::ZERO,
            status,
            sold_by: None,
        }),
    }
}

fn status_of(store: &Store, tag: &str) -> ItemStatus {
    store.find_item(tag).expect("find").expect("item").status
}

#[test]
fn a_pulled_change_waits_while_the_till_has_an_unanswered_op_for_the_row() {
    let (_dir, mut store) = till();
    let sale = sell(&mut store, "R-1");
    // The server answers everything but the sale.
    let resp = answer(&store, |_| (OpStatus::Applied, None));
    let sale_result = resp.results.iter().position(|r| r.op_id == sale.op_id).expect("sale op");
    let mut first = resp.clone();
    first.results.remove(sale_result);
    let applied = store.apply_push(&first).expect("apply");
    assert_eq!(applied.applied, 4);
    assert_eq!(applied.pending_left, 1);

    // A page: an older view of R-1 (in stock), a rename of R-2, a new piece,
    // the shop's settings, and another till's conflict.
    let other_till = Uuid::now_v7();
    let conflict = Conflict {
        kind: ConflictKind::PriceOutOfTolerance,
        message_key: "conflict-price-out-of-tolerance".into(),
        server_state: ServerState::default(),
        options: vec![Resolution::Accept, Resolution::Void],
    };
    let page = PullResponse {
        changes: vec![
            item_change(&store, "R-1", 5, zargar_wire::ItemStatus::InStock, "old name"),
            item_change(&store, "R-2", 3, zargar_wire::ItemStatus::InStock, "گوشواره"),
            item_change(&store, "NEW-9", 1, zargar_wire::ItemStatus::InStock, "new piece"),
            Change {
                id: Uuid::nil(),
                version: 2,
                op: ChangeOp::Upsert,
                data: ChangeData::Settings(TenantSettings {
                    vat: vec![VatRate {
                        from: NaiveDate::from_ymd_opt(2020, 1, 1).expect("day"),
                        percent: Decimal::from(12),
                    }],
                    profit_percent: Decimal::from(9),
                    price_tolerance_percent: Decimal::from(2),
                    trade_in_deduction_percent: Decimal::from(4),
                    max_offline_hours: 12,
                    max_offline_sale: Decimal::from(1_000_000),
                    max_unsynced_total: Decimal::from(9_000_000),
                    retention_days: 30,
                    legal: Some(zargar_wire::LegalIdentity {
                        name: "طلافروشی زرین".into(),
                        economic_code: "14003778990".into(),
                        ..zargar_wire::LegalIdentity::default()
                    }),
                }),
            },
            Change {
                id: Uuid::now_v7(),
                version: 1,
                op: ChangeOp::Upsert,
                data: ChangeData::Conflict(Box::new(ConflictState {
                    conflict_id: Uuid::now_v7(),
                    op_id: Uuid::now_v7(),
                    device_id: other_till,
                    device_name: Some("till 2".into()),
                    entity_id: Uuid::now_v7(),
                    op_kind: "sale.create".into(),
                    conflict: conflict.clone(),
                    open: true,
                    created_at: now(),
                    resolution: None,
                })),
            },
        ],
        next_cursor: "v1.42".into(),
        has_more: false,
    };
    let pulled = store.apply_pull(&page).expect("pull");
    assert_eq!((pulled.changes, pulled.deferred), (5, 1));
    assert_eq!(status_of(&store, "R-1"), ItemStatus::SoldPending, "the till's own sale is not overwritten");
    assert_eq!(store.find_item("R-2").expect("find").expect("item").name, "گوشواره");
    assert_eq!(status_of(&store, "NEW-9"), ItemStatus::InStock);
    let settings = store.settings().expect("settings");
    assert_eq!(settings.profit.to_string(), "9");
    // The seller's block every invoice prints comes with the settings.
    let legal = store.legal_identity().expect("legal").expect("set on the server");
    assert_eq!((legal.name.as_str(), legal.economic_code.as_str()), ("طلافروشی زرین", "14003778990"));
    assert_eq!(settings.trade_in_deduction.to_string(), "4");
    let open = store.conflicts(false).expect("conflicts");
    assert_eq!(open.len(), 1);
    assert!(!open[0].mine, "another till's conflict, shown for the owner");
    assert_eq!(store.status(now()).expect("status").conflicts, 1);
    assert_eq!(store.sync_link().expect("link").expect("linked").pull_cursor.as_deref(), Some("v1.42"));

    // An older version of a row never replaces a newer one.
    store
        .apply_pull(&PullResponse {
            changes: vec![item_change(&store, "R-2", 2, zargar_wire::ItemStatus::Repair, "stale")],
            next_cursor: "v1.43".into(),
            has_more: false,
        })
        .expect("pull");
    assert_eq!(store.find_item("R-2").expect("find").expect("item").name, "گوشواره");

    // NEW-9 sold at another till: only its state changes, and an older view
    // of it pulled later (a page replayed) does not put it back.
    let pull = |store: &mut Store, change: Change| {
        let page = PullResponse { changes: vec![change], next_cursor: "v1.44".into(), has_more: false };
        store.apply_pull(&page).expect("pull");
    };
    let sold = Change {
        data: ChangeData::Item(ItemPayload {
            sold_by: Some("صندوق ۲".into()),
            ..match item_change(&store, "NEW-9", 2, zargar_wire::ItemStatus::Sold, "new piece").data {
                ChangeData::Item(p) => p,
                _ => unreachable!("an item change"),
            }
        }),
        ..item_change(&store, "NEW-9", 2, zargar_wire::ItemStatus::Sold, "new piece")
    };
    pull(&mut store, sold);
    let piece = store.find_item("NEW-9").expect("find").expect("item");
    assert_eq!(
        (piece.status, piece.sold_by.as_deref(), piece.name.as_str()),
        (ItemStatus::Sold, Some("صندوق ۲"), "new piece")
    );
    let older = item_change(&store, "NEW-9", 1, zargar_wire::ItemStatus::InStock, "new piece");
    pull(&mut store, older);
    assert_eq!(status_of(&store, "NEW-9"), ItemStatus::Sold);

    // The sale is accepted: the piece is sold, and the held-back older view
    // of it is dropped rather than put the piece back on the shelf.
    let mut rest = resp;
    rest.results.retain(|r| r.op_id == sale.op_id);
    store.apply_push(&rest).expect("apply");
    assert_eq!(status_of(&store, "R-1"), ItemStatus::Sold);
    assert_eq!(store.sale(sale.id).expect("sale").sync, SyncState::Acked);
    // Answering the same op again (a resend after a lost answer) changes nothing.
    let mut dup = rest.clone();
    dup.results[0].status = OpStatus::Duplicate;
    dup.results[0].first_status = Some(OpStatus::Applied);
    let again = store.apply_push(&dup).expect("apply");
    assert_eq!((again.applied, again.duplicates), (1, 1));
    assert_eq!(status_of(&store, "R-1"), ItemStatus::Sold);
    assert_eq!(store.status(now()).expect("status").pending, 0);
}

#[test]
fn a_conflict_is_kept_with_both_sides_and_settled_by_a_queued_decision() {
    let (_dir, mut store) = till();
    let sale = sell(&mut store, "R-1");
    let r1 = store.find_item("R-1").expect("find").expect("item").id;
    let sold_elsewhere = Conflict {
        kind: ConflictKind::ItemAlreadySold,
        message_key: "conflict-item-already-sold".into(),
        server_state: ServerState {
            item_id: Some(r1),
            tag: Some("R-1".into()),
            item_status: Some(zargar_wire::ItemStatus::Sold),
            ..ServerState::default()
        },
        options: vec![Resolution::Void, Resolution::Accept, Resolution::Resubmit],
    };
    let resp = answer(&store, |op| {
        if op.op_id == sale.op_id {
            (OpStatus::Conflict, Some(sold_elsewhere.clone()))
        } else {
            (OpStatus::Applied, None)
        }
    });
    let applied = store.apply_push(&resp).expect("apply");
    assert_eq!(applied.conflicts, 1);
    assert_eq!(status_of(&store, "R-1"), ItemStatus::Sold, "sold by the other till, so not for sale here");
    assert_eq!(store.sale(sale.id).expect("sale").sync, SyncState::Conflict);
    let c = &store.conflicts(false).expect("conflicts")[0];
    assert!(c.mine);
    assert_eq!(c.local_sale.as_ref().map(|s| s.lines[0].tag.as_str()), Some("R-1"));

    // Refusals write nothing.
    let decide = |resolution, reason: Option<&str>, edit: Option<SaleEdit>| ResolveRequest {
        op_id: sale.op_id,
        resolution,
        resolved_by: "مالک".into(),
        reason: reason.map(str::to_owned),
        edit,
    };
    assert!(matches!(
        store.resolve_conflict(&decide(Resolution::Accept, None, None), now()),
        Err(StoreError::ReasonRequired)
    ));
    assert!(matches!(
        store.resolve_conflict(&decide(Resolution::Retry, None, None), now()),
        Err(StoreError::NotAnOption { .. })
    ));
    let swap = SaleEdit { replace: vec![("R-1".into(), "R-404".into())], ..SaleEdit::default() };
    assert!(matches!(
        store.resolve_conflict(&decide(Resolution::Resubmit, None, Some(swap)), now()),
        Err(StoreError::ItemNotFound(_))
    ));
    assert_eq!(store.status(now()).expect("status").pending, 0);

    // Resubmit with another piece: the same sale and invoice, repriced, R-2 held.
    let swap = SaleEdit { replace: vec![("R-1".into(), "R-2".into())], ..SaleEdit::default() };
    let queued = store.resolve_conflict(&decide(Resolution::Resubmit, None, Some(swap)), now()).expect("queued");
    let edited = queued.sale.expect("edited sale");
    assert_eq!((edited.id, edited.invoice_no), (sale.id, sale.invoice_no));
    assert_eq!(edited.lines[0].tag, "R-2");
    assert_eq!(status_of(&store, "R-2"), ItemStatus::SoldPending);
    assert!(matches!(
        store.resolve_conflict(&decide(Resolution::Void, None, None), now()),
        Err(StoreError::ResolutionPending)
    ));
    store.verify_journal().expect("journal").expect("the journal keeps the sale as first made");

    // The server applies the decision: settled, the sale acknowledged, R-2 sold.
    let resp = answer(&store, |_| (OpStatus::Applied, None));
    store.apply_push(&resp).expect("apply");
    assert!(store.conflicts(false).expect("conflicts").is_empty());
    let settled = &store.conflicts(true).expect("conflicts")[0];
    assert_eq!(settled.resolution.as_ref().map(|r| r.resolved_by.as_str()), Some("مالک"));
    assert_eq!(status_of(&store, "R-2"), ItemStatus::Sold);
    assert_eq!(store.sale(sale.id).expect("sale").sync, SyncState::Acked);
    assert_eq!(store.sale(sale.id).expect("sale").lines[0].tag, "R-2");
}

#[test]
fn a_price_conflict_shows_the_shortfall_and_a_resend_that_changes_the_due_is_settled_out_loud() {
    let (_dir, mut store) = till();
    let light = common::ring("R-L", "انگشتر سبک", "4");
    store.add_item(&light.parse().expect("item"), now()).expect("add");
    let sale = sell(&mut store, "R-1");
    let shop_price = Rial::from_i64(83_000_000);
    let priced_low = Conflict {
        kind: ConflictKind::PriceOutOfTolerance,
        message_key: "conflict-price-out-of-tolerance".into(),
        server_state: ServerState {
            per_gram_18k: Some(shop_price.decimal()),
            tolerance_percent: Some(2.into()),
            ..ServerState::default()
        },
        options: vec![Resolution::Accept, Resolution::Void, Resolution::Resubmit],
    };
    let resp = answer(&store, |op| {
        if op.op_id == sale.op_id { (OpStatus::Conflict, Some(priced_low.clone())) } else { (OpStatus::Applied, None) }
    });
    store.apply_push(&resp).expect("apply");

    // The shortfall, to the Rial: the same 5 g at 83M instead of 80M.
    let local = store.conflicts(false).expect("conflicts")[0].local_sale.clone().expect("the till's sale");
    let at_shop = local.due_at(shop_price).expect("repriced");
    // gold 5 × 83M = 415M, wage 15% = 62.25M, profit 7% = 33,407,500, VAT 10% on wage and profit = 9,565,750.
    assert_eq!(at_shop, Rial::from_i64(520_223_250));
    assert_eq!(local.totals.due, Rial::from_i64(501_420_000));

    // Swapping in a lighter piece lowers the due: previewed, never absorbed silently.
    let swap = vec![("R-1".to_owned(), "R-L".to_owned())];
    let preview = store.preview_resubmit(sale.op_id, &swap).expect("preview");
    assert_eq!(preview.old_due, local.totals.due);
    assert!(preview.difference.is_negative(), "{preview:?}");
    assert_eq!(store.status(now()).expect("status").pending, 0, "a preview writes nothing");
    assert_eq!(status_of(&store, "R-L"), ItemStatus::InStock, "a preview holds nothing");
    let decide = |due_change| ResolveRequest {
        op_id: sale.op_id,
        resolution: Resolution::Resubmit,
        resolved_by: "مالک".into(),
        reason: None,
        edit: Some(SaleEdit { replace: swap.clone(), payments: None, due_change }),
    };
    assert!(matches!(
        store.resolve_conflict(&decide(None), now()),
        Err(StoreError::DueChangeUnsettled { difference }) if difference == preview.difference
    ));
    let wrong = DueChange { amount: rust_decimal::Decimal::from(-1), method: PaymentMethod::Cash };
    assert!(matches!(store.resolve_conflict(&decide(Some(wrong)), now()), Err(StoreError::DueChangeMismatch { .. })));
    assert_eq!(store.status(now()).expect("status").pending, 0, "refusals write nothing");

    let back = DueChange { amount: preview.difference.decimal(), method: PaymentMethod::Cash };
    let queued = store.resolve_conflict(&decide(Some(back)), now()).expect("queued");
    let edited = queued.sale.expect("edited");
    assert_eq!(edited.totals.due, preview.new_due);
    // What was paid in cash is what the customer keeps paying: the refund came off it.
    let paid_before = sale.payments[0].amount;
    assert_eq!(edited.payments[0].amount, paid_before.checked_add(preview.difference).expect("sum"));
    // The resend carries how it was settled, for the server's audit log.
    let op = store.pending_ops(0, 10).expect("ops").into_iter().last().expect("the resolution op");
    let zargar_wire::OpBody::ConflictResolve(r) = op.body else { panic!("a resolution: {op:?}") };
    assert_eq!(r.due_change, Some(back));
}
