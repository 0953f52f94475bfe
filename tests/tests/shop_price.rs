//! The owner's price is the shop's price: set at one till, it reaches the
//! server as the shop's (who set it, at which till), the other till pulls
//! it, and sales at both tills at that price are no conflict, though it is
//! 3.75% above the morning's. A price a cashier set for one till stays on
//! that till and is judged as before: out of tolerance, a conflict.

use zargar_e2e::{Server, Till};

#[test]
fn the_owners_morning_price_makes_no_conflicts_and_a_cashiers_price_still_does() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(tmp.path());
    let tags: Vec<String> = ["RING-1", "RING-2", "RING-3", "RING-4"].map(String::from).to_vec();
    let shop = server.shop("طلافروشی نرخ", &tags, tmp.path());
    let a = Till::init(&tmp.path().join("a"), "till A");
    let b = Till::init(&tmp.path().join("b"), "till B");
    for t in [&a, &b] {
        t.enroll(&server.url(), &server.enrol_code(shop, "till"));
        t.sync_until_clean();
    }
    let owner = server.owner(shop);
    assert_eq!(owner.gold_price(&server)["per_gram_18k"], "80000000", "the server's morning price");

    // The owner sets today's price at till A: 3.75% above the server's.
    a.ok(&["price", "set", "83000000", "--shop", "--by", "Maryam"]);
    a.sync_until_clean();
    let shop_price = owner.gold_price(&server);
    assert_eq!(shop_price["per_gram_18k"], "83000000", "the owner's price is the shop's: {shop_price}");
    assert_eq!(shop_price["set_by"], "Maryam");
    assert_eq!(shop_price["set_at_till"], "till A");
    b.sync_until_clean();
    let at_b = b.json(&["price", "show"]);
    assert_eq!(at_b["price"]["per_gram_18k"], "83000000", "till B pulled it: {at_b}");
    assert_eq!(at_b["price"]["scope"], "shop");

    // Both tills sell at it: applied, no conflict.
    let sold_a = a.sell(&["RING-1"]);
    let sold_b = b.sell(&["RING-2"]);
    for (t, sale) in [(&a, &sold_a), (&b, &sold_b)] {
        assert_eq!(sale["gold_price"]["per_gram_18k"], "83000000", "{} sold at the shop's price", t.name);
        t.sync_until_clean();
        assert!(t.conflicts(false).is_empty(), "{}: {:?}", t.name, t.conflicts(false));
    }
    let applied: Vec<_> = owner.export(&server).into_iter().filter(|r| r["sync_status"] == "applied").collect();
    assert_eq!(applied.len(), 2, "{applied:?}");

    // A cashier's price at till B (no --shop) stays at B, and is judged as before.
    b.ok(&["price", "set", "86000000"]);
    b.sell(&["RING-3"]);
    let round = b.sync().expect("a round");
    assert_eq!(round["round"]["conflicts"], 1, "{round}");
    let open = b.conflicts(false);
    assert_eq!(open[0]["conflict"]["kind"], "price_out_of_tolerance");
    assert_eq!(open[0]["conflict"]["server_state"]["per_gram_18k"], "83000000");
    assert_eq!(owner.gold_price(&server)["per_gram_18k"], "83000000", "the cashier's price is not the shop's");
    a.sync_until_clean();
    assert_eq!(a.json(&["price", "show"])["price"]["per_gram_18k"], "83000000", "nor does it reach till A");
}
