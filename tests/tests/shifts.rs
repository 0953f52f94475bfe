//! Shifts across a real till (`zargar`) and the real server: a shift
//! opened with a float, sales in it, cash taken out, closed with the count
//! by note while offline; the Z report reaches the server with the sales,
//! its journal entry in the chain (the sale after it links on), once; and
//! the owner's `zargar report` shows the day's sales and the Z report.

use zargar_e2e::{Server, Till, rings};

#[test]
fn a_z_report_made_offline_reaches_the_server_in_the_chain_and_the_next_sale_links_on() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(tmp.path());
    let shop = server.shop("طلای نو", &rings(4), tmp.path());
    let till = Till::enrolled(&tmp.path().join("a"), "صندوق ۱", &server.url(), &server, shop);
    till.sync_until_clean();

    till.ok(&["shift", "open", "--float", "5000000"]);
    let sold = till.sell(&["RING-1"]);
    let total: i64 = sold["totals"]["total"].as_str().expect("total").parse().expect("rials");
    till.ok(&["shift", "cash", "out", "--amount", "1000000", "--reason", "بانک"]);
    let x = till.json(&["shift", "x"]);
    assert_eq!(x["x_report"]["sales"]["sales"], 1);

    // The server goes away; the close is offline, as a shop's evening may be.
    server.kill();
    let z = till.json(&["shift", "close", "--count", "1000000=4", "--count", "100000=3"]);
    let z = &z["z_report"];
    assert_eq!(z["z_no"], 1);
    assert_eq!(z["counted_total"], "4300000");
    assert_eq!(z["grand_total"].as_str().expect("grand total").parse::<i64>().expect("rials"), total);
    let expected: i64 = z["report"]["cash_expected"].as_str().expect("expected").parse().expect("rials");
    assert_eq!(z["over_short"].as_str().expect("over/short").parse::<i64>().expect("rials"), 4_300_000 - expected);
    // The next sale opens the next shift, its float not counted.
    till.sell(&["RING-2"]);
    assert_eq!(till.json(&["shift", "x"])["x_report"]["shift"]["float"], serde_json::Value::Null);

    server.spawn_at(server.addr);
    till.sync_until_clean();
    assert!(till.conflicts(true).is_empty(), "the Z entry and the sale after it link on the server");
    let exported = server.owner(shop).export(&server);
    assert_eq!(exported.len(), 2, "both sales are on the server: {exported:?}");
    let reprint = till.ok(&["shift", "z"]);
    assert!(reprint.contains("Z report no. 1"), "{reprint}");
    assert!(reprint.contains("Short: ") || reprint.contains("Over: "), "{reprint}");

    // The owner's device reads the shop's report; a till's may not.
    let owner = Till::init(&tmp.path().join("owner"), "مالک");
    owner.enroll(&server.url(), &server.enrol_code(shop, "owner"));
    // From the first sale's Tehran day to today's: a run across Tehran's
    // midnight puts the two sales on two days.
    let sold_at: chrono::DateTime<chrono::Utc> = sold["sold_at"].as_str().expect("sold at").parse().expect("time");
    let first = zargar_core::persian::tehran_date(sold_at).to_string();
    let today = zargar_core::persian::tehran_date(chrono::Utc::now()).to_string();
    let report = owner.json(&["report", "--from", &first, "--to", &today]);
    let rows = report["report"]["rows"].as_array().expect("rows");
    assert!(!rows.is_empty() && rows.len() <= 2, "one till, a day or two, nobody signed in: {report}");
    assert_eq!(rows.iter().map(|r| r["sales"].as_u64().expect("sales")).sum::<u64>(), 2, "{report}");
    assert!(rows.iter().all(|r| r["till"] == "صندوق ۱"), "{report}");
    let z_reports = report["report"]["z_reports"].as_array().expect("z reports");
    assert_eq!(z_reports.len(), 1);
    assert_eq!(z_reports[0]["z_no"], 1);
    assert_eq!(z_reports[0]["over_short"], z["over_short"]);
    let refused = till.run(&["--json", "report"]);
    assert!(!refused.status.success(), "a till's device reads no report");
}
