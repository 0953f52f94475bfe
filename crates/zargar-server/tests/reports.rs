//! The owner's view of the shop on the real server: random sales at two
//! tills by two cashiers (one of them past their discount limit, so in
//! conflict), one with old gold taken in, a return, a Z report; the report
//! per day, till and person equals the sums of the exported lines that
//! count, its hours hold every counted sale once, and the old gold, the
//! return and the Z report are there. Only the owner's device reads it.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use common::ops::{by, person};
use common::{Server, Till};
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_rules::discount::{Discount, LineDiscount};
use zargar_rules::pricing::{LinePrice, trade_in_value};
use zargar_rules::settle::settle;
use zargar_rules::{Percent, Purity, Rial, Weight};
use zargar_wire::{
    ExportRow, OpBody, OpStatus, Payment, PaymentMethod, ReturnPayload, Role, SalePayload, ShiftPayload, ShopReport,
    TradeIn,
};

const SPAN: &str = "from=2000-01-01&to=2999-12-31";

async fn push_one(till: &mut Till, op: zargar_wire::Op) -> OpStatus {
    till.push(&[op]).await.push().results[0].status
}

/// The sale with `grams` of 750 taken in at its own price, no melting loss,
/// the rest paid in cash: priced again as a till would.
fn with_old_gold(sale: &mut SalePayload, grams: Decimal) {
    let buy = Rial::whole(sale.gold_price.per_gram_18k).expect("price");
    let value = trade_in_value(Weight::grams(grams).expect("grams"), Purity::K18, buy, Percent::ZERO).expect("value");
    sale.trade_ins.push(TradeIn {
        weight: grams,
        purity: Decimal::from(750),
        deduction_percent: Decimal::ZERO,
        buy_price_18k: buy.decimal(),
        value: value.decimal(),
    });
    let rial = |d: Decimal| Rial::whole(d).expect("whole");
    let prices: Vec<LinePrice> = sale
        .lines
        .iter()
        .map(|l| LinePrice {
            gold: rial(l.gold),
            wage: rial(l.wage),
            profit: rial(l.profit),
            vat: rial(l.vat),
            stones: rial(l.stones),
            total: rial(l.total),
        })
        .collect();
    let due = prices.iter().map(|p| p.total).sum::<Rial>() - value;
    sale.payments = vec![Payment { method: PaymentMethod::Cash, amount: due.decimal() }];
    sale.totals = settle(&prices, &[value], &[(PaymentMethod::Cash, due)]).expect("settles").to_wire();
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
        // The limit is a share of wage and profit together, so the 40% is
        // taken off both: off the wage alone it can be under 10% of the two.
        let pct = || (off > 0).then(|| Discount::Percent(Percent::from_u32(off).expect("percent")));
        let d = LineDiscount { wage: pct(), profit: if i == 8 { pct() } else { None } };
        let seller = if i == 8 { &cashiers[0] } else { &cashiers[rng.random_range(0..2)] };
        // The first sale is counter B's, by Sara, with 2 g of old gold taken in.
        let (till, seller) = if i == 0 {
            (&mut b, &cashiers[1])
        } else if rng.random_bool(0.5) {
            (&mut a, seller)
        } else {
            (&mut b, seller)
        };
        let mut op = till.book.discounted_sale(&chosen, price.price_id, price.per_gram_18k, Utc::now(), &d);
        op.by = by(seller);
        if let (0, OpBody::SaleCreate(sale)) = (i, &mut op.body) {
            with_old_gold(sale, Decimal::from(2));
        }
        statuses.push(push_one(till, op).await);
    }

    // Counter B takes its first sale back, by Sara.
    let export_now: Vec<ExportRow> =
        serde_json::from_value(owner.get(&format!("/api/v1/export?{SPAN}&format=json")).await.json()["rows"].clone())
            .expect("export rows");
    let sold_first = export_now.iter().find(|r| r.device_name == "counter B").expect("counter B sold first").sale_id;
    let lines: Vec<&ExportRow> = export_now.iter().filter(|r| r.sale_id == sold_first).collect();
    let refund: Decimal = lines.iter().map(|r| r.total).sum();
    let ret = ReturnPayload {
        return_id: Uuid::now_v7(),
        sale_id: sold_first,
        return_no: 1,
        returned_at: Utc::now(),
        item_ids: lines.iter().map(|r| r.item_id).collect(),
        refund,
        refund_method: PaymentMethod::Cash,
        refunds: Vec::new(),
        exchange_sale_id: None,
        reason: Some("too small".into()),
        journal: b.book.next_link("return 1"),
    };
    let mut op = b.book.op(OpBody::SaleReturn(ret), &[], None, Utc::now());
    op.by = by(&cashiers[1]);
    assert_eq!(push_one(&mut b, op).await, OpStatus::Applied, "the return");
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
    // Sara's row at counter B holds the old gold and the return.
    let sara_b = report
        .rows
        .iter()
        .find(|r| r.till == "counter B" && r.seller.as_deref() == Some("Sara"))
        .expect("Sara sold at counter B");
    assert_eq!((sara_b.returns, sara_b.returns_total), (1, refund));
    assert_eq!(sara_b.old_gold.iter().map(|g| g.grams).sum::<Decimal>(), Decimal::from(2));
    assert!(sara_b.old_gold_value > Decimal::ZERO);
    assert!(report.rows.iter().filter(|r| r.returns > 0).count() == 1, "one return in all");
    let z = report.z_reports.first().expect("counter A's Z report");
    assert_eq!((z.till.as_str(), z.z_no, z.over_short), ("counter A", 1, Decimal::from(-100)));

    // As CSV, a row per day, till and person; only the owner's device reads it.
    let csv = owner.get(&format!("/api/v1/reports?{SPAN}&format=csv")).await;
    let text = String::from_utf8(csv.body).expect("utf-8");
    assert!(text.starts_with("day,till,seller,sales,lines,grams"), "{text}");
    assert_eq!(text.lines().count(), 1 + report.rows.len());
    assert_eq!(a.get(&format!("/api/v1/reports?{SPAN}")).await.status, 403);
}
