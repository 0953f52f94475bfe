//! The owner's view of the shop on the real server: random sales at two
//! tills by two cashiers (one of them past their discount limit, so in
//! conflict), a Z report; the report per day, till and person equals the
//! sums of the exported lines that count, its hours hold every counted
//! sale once, and the Z report is there. Only the owner's device reads it.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use common::ops::{by, person};
use common::{Server, Till};
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_rules::Percent;
use zargar_rules::discount::{Discount, LineDiscount};
use zargar_wire::{ExportRow, OpBody, OpStatus, Role, ShiftPayload, ShopReport};

const SPAN: &str = "from=2000-01-01&to=2999-12-31";

async fn push_one(till: &mut Till, op: zargar_wire::Op) -> OpStatus {
    till.push(&[op]).await.push().results[0].status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_per_day_till_and_person_equals_the_exported_lines_that_count() {
    let seed: u64 = std::env::var("ZARGAR_REPORT_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    eprintln!("reports test: seed {seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let server = Server::start();
    let (_shop, [mut a, mut b, owner]) =
        server.shop_with("Zarrin", [("counter A", "till"), ("counter B", "till"), ("owner", "owner")]).await;
    let maryam = person("Maryam", Role::Owner, 0);
    let cashiers = [person("Ali", Role::Cashier, 10), person("Sara", Role::Cashier, 20)];
    let op = a.book.op(OpBody::PersonUpsert(maryam.clone()), &[], None, Utc::now());
    assert_eq!(push_one(&mut a, op).await, OpStatus::Applied);
    for c in &cashiers {
        let mut op = a.book.op(OpBody::PersonUpsert(c.clone()), &[], None, Utc::now());
        op.by = by(&maryam);
        assert_eq!(push_one(&mut a, op).await, OpStatus::Applied);
    }
    let (items, price) = a.pull_priced().await;
    assert!(items.len() >= 20, "the demo stock");

    // Random sales of one or two pieces, at a random till by a random
    // cashier, with a discount within 10%; the last, Ali's 40%, in conflict.
    let mut pieces = items.iter();
    let mut statuses = Vec::new();
    for i in 0..9 {
        let n = rng.random_range(1..=2);
        let chosen: Vec<_> = pieces.by_ref().take(n).cloned().collect();
        let off = if i == 8 { 40 } else { rng.random_range(0..=10) };
        let d = LineDiscount {
            wage: (off > 0).then(|| Discount::Percent(Percent::from_u32(off).expect("percent"))),
            profit: None,
        };
        let seller = if i == 8 { &cashiers[0] } else { &cashiers[rng.random_range(0..2)] };
        let till = if rng.random_bool(0.5) { &mut a } else { &mut b };
        let mut op = till.book.discounted_sale(&chosen, price.price_id, price.per_gram_18k, Utc::now(), &d);
        op.by = by(seller);
        statuses.push(push_one(till, op).await);
    }
    assert_eq!(statuses.last(), Some(&OpStatus::Conflict), "40% is past Ali's limit");
    assert!(statuses[..8].iter().all(|s| *s == OpStatus::Applied), "{statuses:?}");

    // Counter A closes its shift.
    let shift = ShiftPayload {
        shift_id: Uuid::now_v7(),
        z_no: 1,
        opened_at: Utc::now(),
        closed_at: Utc::now(),
        opened_by: by(&cashiers[0]),
        closed_by: by(&cashiers[0]),
        float: None,
        sales: 1,
        sales_total: Decimal::from(1_000),
        returns: 0,
        returns_total: Decimal::ZERO,
        discounts: Decimal::ZERO,
        cash_in: Decimal::ZERO,
        cash_out: Decimal::ZERO,
        cash_expected: Decimal::from(1_000),
        counted_total: Decimal::from(900),
        over_short: Decimal::from(-100),
        grand_total: Decimal::from(1_000),
        journal: a.book.next_link("z"),
    };
    let op = a.book.op(OpBody::ShiftClose(shift), &[], None, Utc::now());
    assert_eq!(push_one(&mut a, op).await, OpStatus::Applied);

    let export: Vec<ExportRow> =
        serde_json::from_value(owner.get(&format!("/api/v1/export?{SPAN}&format=json")).await.json()["rows"].clone())
            .expect("export rows");
    let report: ShopReport =
        serde_json::from_value(owner.get(&format!("/api/v1/reports?{SPAN}")).await.json()).expect("report");

    // The exported lines that count, added up by hand per (till, seller).
    let counted: Vec<&ExportRow> =
        export.iter().filter(|r| matches!(r.sync_status.as_str(), "applied" | "accepted")).collect();
    assert!(counted.len() < export.len(), "the sale in conflict is exported but does not count");
    // (till, seller) → the sales, and total, wage, grams and discounts.
    type Sums = (BTreeSet<Uuid>, [Decimal; 4]);
    let mut want: BTreeMap<(Uuid, Option<String>), Sums> = BTreeMap::new();
    for r in &counted {
        let (sales, sums) = want.entry((r.device_id, r.seller.clone())).or_default();
        sales.insert(r.sale_id);
        for (s, v) in sums.iter_mut().zip([r.total, r.wage, r.weight, r.wage_discount + r.profit_discount]) {
            *s += v;
        }
    }
    assert_eq!(report.rows.len(), want.len(), "one row per till and person (all sales today)");
    for row in &report.rows {
        let (sales, [total, wage, weight, discounts]) =
            want.get(&(row.device_id, row.seller.clone())).expect("a row of its own");
        assert_eq!(row.sales, sales.len() as u64);
        assert_eq!((row.total, row.wage, row.discounts), (*total, *wage, *discounts), "{row:?}");
        assert_eq!(row.grams.iter().map(|g| g.grams).sum::<Decimal>(), *weight);
        assert!(row.seller.is_some(), "every sale named its cashier");
    }
    let all_sales: BTreeSet<Uuid> = counted.iter().map(|r| r.sale_id).collect();
    assert_eq!(report.by_hour.iter().map(|h| h.sales).sum::<u64>(), all_sales.len() as u64);
    assert_eq!(
        report.by_hour.iter().map(|h| h.total).sum::<Decimal>(),
        counted.iter().map(|r| r.total).sum::<Decimal>()
    );
    let z = report.z_reports.first().expect("counter A's Z report");
    assert_eq!((z.till.as_str(), z.z_no, z.over_short), ("counter A", 1, Decimal::from(-100)));

    // As CSV, a row per day, till and person; only the owner's device reads it.
    let csv = owner.get(&format!("/api/v1/reports?{SPAN}&format=csv")).await;
    let text = String::from_utf8(csv.body).expect("utf-8");
    assert!(text.starts_with("day,till,seller,sales,lines,grams"), "{text}");
    assert_eq!(text.lines().count(), 1 + report.rows.len());
    assert_eq!(a.get(&format!("/api/v1/reports?{SPAN}")).await.status, 403);
}
