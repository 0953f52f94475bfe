//! A till whose token was lost: the owner's re-enrolment code is bound to
//! its device; with it the till keeps its id and its seq series, and the
//! old token stops working.

mod common;

use common::{Server, Till};
use reqwest::StatusCode;
use uuid::Uuid;
use zargar_wire::{DeviceRole, EnrollResponse, OpStatus};

async fn enrol(till: &Till, code: &str, device_id: Uuid) -> reqwest::Response {
    till.http
        .post(format!("{}/api/v1/devices/enroll", till.base))
        .json(&serde_json::json!({ "code": code, "device_id": device_id, "name": "counter 1" }))
        .send()
        .await
        .expect("enrol")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_till_enrolled_again_keeps_its_id_and_seq_series_and_its_old_token_stops() {
    let server = Server::start();
    let (shop, [mut till]) = server.shop_with("Zarrin", [("counter 1", "till")]).await;
    let pieces = server.stock(&shop, &till, "RE", 2).await;
    let (_, price) = till.pull_priced().await;
    let first = till.sale(&pieces[..1], &price);
    assert_eq!(till.push(std::slice::from_ref(&first)).await.push().acked_seq, 1);

    let device = till.device_id.to_string();
    let code = server.admin(&["device", "enroll", "--tenant", &shop.id.to_string(), "--device", &device]);
    // Bound to its device: to any other it is no code, and the refusal does not use it up.
    let stranger = enrol(&till, &code, Uuid::now_v7()).await;
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);
    let again = enrol(&till, &code, till.device_id).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: EnrollResponse = again.json().await.expect("enrolment");
    assert_eq!((again.device_id, again.role), (till.device_id, DeviceRole::Till), "the same device, the same role");

    let old = till.get("/api/v1/sync/status").await;
    assert_eq!(old.status, 401, "the old token stops working");
    till.token = again.device_token;
    assert_eq!(till.get("/api/v1/sync/status").await.json()["acked_seq"], 1, "the server still has its first sale");

    // Its ops go on numbered from where they were.
    let second = till.sale(&pieces[1..2], &price);
    assert_eq!(second.seq, 2);
    let answer = till.push(std::slice::from_ref(&second)).await.push();
    assert_eq!((answer.acked_seq, answer.results[0].status), (2, OpStatus::Applied));

    // Used once; a device of the shop that is not there cannot have one.
    assert_eq!(enrol(&till, &code, till.device_id).await.status(), StatusCode::UNAUTHORIZED);
    let unknown = server.admin_output(&[
        "device",
        "enroll",
        "--tenant",
        &shop.id.to_string(),
        "--device",
        &Uuid::now_v7().to_string(),
    ]);
    assert!(!unknown.status.success(), "no code for a device the shop does not have");
    let audit = server.admin(&["audit", "--tenant", &shop.id.to_string()]);
    assert!(audit.contains("device.reenroll"), "{audit}");
}
