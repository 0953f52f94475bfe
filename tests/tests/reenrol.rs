//! A till whose token was lost (here: its database no longer holds a token
//! the server knows) is stopped with "enrol again"; the owner's re-enrolment
//! code for its device brings it back as the same till: its sales go on
//! numbered where they were, and nothing it sold is sent or counted twice.

use zargar_e2e::{Server, Till, rings};

#[test]
fn a_till_whose_token_was_lost_enrols_again_and_goes_on_where_it_was() {
    let work = tempfile::tempdir().expect("tempdir");
    let server = Server::start(work.path());
    let shop = server.shop("Zarrin", &rings(3), work.path());
    let till = Till::enrolled(&work.path().join("till"), "till 1", &server.url(), &server, shop);
    till.sell(&["RING-1"]);
    till.sync_until_clean();

    let db = rusqlite::Connection::open(till.db()).expect("till db");
    let device: String = db.query_row("SELECT device_id FROM device", [], |r| r.get(0)).expect("device");
    db.execute("UPDATE sync_link SET device_token = 'lost'", []).expect("lose the token");
    drop(db);
    till.sell(&["RING-2"]);
    assert_eq!(till.sync(), Err("sync_unauthorized".to_owned()), "the server does not know it");

    let code = server.admin(&["device", "enroll", "--tenant", &shop.to_string(), "--device", &device]);
    till.enroll(&server.url(), &code);
    till.sync_until_clean();

    let rows = server.owner(shop).export(&server);
    let mut sold: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["tag"].as_str().expect("tag"), r["sync_status"].as_str().expect("status"))).collect();
    sold.sort_unstable();
    assert_eq!(sold, [("RING-1", "applied"), ("RING-2", "applied")], "each sale once, both applied");
    let devices = server.admin(&["device", "list", "--tenant", &shop.to_string()]);
    assert_eq!(devices.lines().filter(|l| l.contains("\ttill\t")).count(), 1, "still one till: {devices}");
    assert!(devices.contains(&device), "the same device id: {devices}");
}
