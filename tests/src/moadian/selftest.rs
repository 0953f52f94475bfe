//! The stand-in against a client built from josekit and reqwest alone, as
//! the real service's SDKs talk to it.

use std::time::Duration;

use josekit::jwe::{JweHeader, RSA_OAEP_256};
use josekit::jws::{JwsHeader, RS256};
use serde_json::{Value, json};
use zargar_rules::tax_id::{MemoryId, TaxId};

use super::{TaxService, TestSigner, judge};

const MEMORY: &str = "A11216";
const NATIONAL_ID: &str = "14003778990";

/// The gold line of sandbox-accepted invoice V5 (research notes §2.6).
fn v5_line() -> Value {
    json!({"sstid":"2001584175153","sstt":"شمش طلا ۱۰۰۰ گرمی","am":1,"fee":23598000,"prdis":23598000,"dis":0,
        "adis":29037339,"vra":0,"vam":543933,"tsstam":29581272,"consfee":3539700,"bros":0,"spro":1899639,"tcpbs":5439339})
}

/// A pattern-3 invoice with `serial` and the V5 line, totals summed.
fn invoice(serial: u64) -> Value {
    let now = chrono::Utc::now();
    let tax_id = TaxId::new(&MemoryId::parse(MEMORY).expect("memory id"), now, serial).expect("tax id");
    let header = json!({"taxid": tax_id.as_str(), "inno": format!("{serial:010X}"), "indatim": now.timestamp_millis(),
        "inty": 1, "inp": 3, "ins": 1, "tins": NATIONAL_ID, "tob": 2, "bid": "14008430838",
        "tprdis": 23598000, "tdis": 0, "tadis": 29037339, "tvam": 543933, "todam": 0, "tbill": 29581272, "setm": 2});
    json!({"header": header, "body": [v5_line()], "payments": []})
}

/// A compact JWS as the SDKs sign: RS256, x5c, sigT named in crit, typ and cty.
fn sign(signer: &TestSigner, payload: &Value) -> String {
    sign_with(signer, payload, true)
}

/// `sign`, with `crit` left out unless `crit`.
fn sign_with(signer: &TestSigner, payload: &Value, crit: bool) -> String {
    let der = super::crypto::cert_der(&signer.cert_pem);
    let mut header = JwsHeader::new();
    header.set_x509_certificate_chain(&vec![der]);
    let sig_t = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    header.set_claim("sigT", Some(json!(sig_t))).expect("sigT");
    if crit {
        header.set_critical(&vec!["sigT"]);
    }
    header.set_token_type("jose");
    header.set_content_type("text/plain");
    let key = RS256.signer_from_pem(&signer.key_pem).expect("signer");
    josekit::jws::serialize_compact(payload.to_string().as_bytes(), &header, &key).expect("JWS")
}

struct Client {
    http: reqwest::Client,
    base: String,
    signer: TestSigner,
    /// The organisation's key id and public key (SubjectPublicKeyInfo DER).
    org: Option<(String, Vec<u8>)>,
}

impl Client {
    async fn token(&self) -> String {
        let nonce = self.http.get(format!("{}/nonce?timeToLive=20", self.base)).send().await.expect("nonce");
        let nonce: Value = nonce.json().await.expect("nonce JSON");
        sign(&self.signer, &json!({"nonce": nonce["nonce"], "clientId": MEMORY}))
    }

    async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.http.get(format!("{}/{path}", self.base)).bearer_auth(token).send().await.expect("GET")
    }

    async fn fetch_key(&mut self) {
        let info: Value = self.get("server-information", &self.token().await).await.json().await.expect("JSON");
        let key = &info["publicKeys"][0];
        let der = openssl::base64::decode_block(key["key"].as_str().expect("key")).expect("base64");
        self.org = Some((key["id"].as_str().expect("id").to_owned(), der));
    }

    /// One packet: the invoice signed, then encrypted to the organisation.
    fn packet(&self, uid: &str, invoice: &Value) -> Value {
        let (kid, der) = self.org.as_ref().expect("server-information first");
        let mut header = JweHeader::new();
        header.set_content_encryption("A256GCM");
        header.set_key_id(kid);
        let encrypter = RSA_OAEP_256.encrypter_from_der(der).expect("encrypter");
        let jwe = josekit::jwe::serialize_compact(sign(&self.signer, invoice).as_bytes(), &header, &encrypter);
        json!({"header": {"requestTraceId": uid, "fiscalId": MEMORY}, "payload": jwe.expect("JWE")})
    }

    async fn send(&self, packets: &[Value]) -> Value {
        let res = self.http.post(format!("{}/invoice", self.base)).bearer_auth(self.token().await).json(packets);
        let res = res.send().await.expect("POST invoice");
        assert_eq!(res.status(), 200);
        res.json().await.expect("JSON")
    }

    async fn inquire(&self, uid: &str) -> Value {
        let path = format!("inquiry-by-uid?uidList={uid}&fiscalId={MEMORY}");
        let v: Value = self.get(&path, &self.token().await).await.json().await.expect("JSON");
        v[0].clone()
    }
}

#[tokio::test]
async fn stands_in_for_the_tax_organisation() {
    let service = TaxService::start().await;
    let signer = TestSigner::new(NATIONAL_ID);
    service.register(MEMORY, &signer.cert_pem);
    let http = reqwest::Client::new();
    let mut client = Client { http: http.clone(), base: service.base_url(), signer, org: None };
    client.fetch_key().await;

    // A valid gold invoice succeeds and is found by uid and by reference.
    let first = invoice(1);
    let packet = client.packet("11111111-1111-4111-8111-111111111111", &first);
    let sent = client.send(std::slice::from_ref(&packet)).await;
    let reference = sent["result"][0]["referenceNumber"].as_str().expect("reference").to_owned();
    assert_eq!(sent["result"][0]["uid"], "11111111-1111-4111-8111-111111111111");
    let found = client.inquire("11111111-1111-4111-8111-111111111111").await;
    assert_eq!(found["status"], "SUCCESS", "{found}");
    assert_eq!(found["data"], json!({"error": [], "warning": [], "success": true}));
    assert_eq!(found["referenceNumber"], reference.as_str());
    let path = format!("inquiry-by-reference-id?referenceIds={reference}&referenceIds=nope");
    let by_ref: Value = client.get(&path, &client.token().await).await.json().await.expect("JSON");
    assert_eq!((by_ref[0]["status"].as_str(), by_ref[1]["status"].as_str()), (Some("SUCCESS"), Some("NOT_FOUND")));
    assert_eq!(client.inquire("22222222-2222-4222-8222-222222222222").await["status"], "NOT_FOUND");
    let got = service.invoices();
    assert_eq!((got.len(), got[0].invoice["header"]["taxid"].clone()), (1, first["header"]["taxid"].clone()));

    // A resend counts as a duplicate and gets the first reference back.
    let again = client.send(&[packet]).await;
    assert_eq!(again["result"][0]["referenceNumber"], reference.as_str());
    assert_eq!((service.duplicates(), service.invoices().len()), (1, 1));

    // vam off by one (tsstam and the totals follow it): FAILED for vam alone.
    let mut wrong = invoice(2);
    for (field, at) in
        [("vam", "/body/0/vam"), ("tsstam", "/body/0/tsstam"), ("tvam", "/header/tvam"), ("tbill", "/header/tbill")]
    {
        let v = wrong.pointer_mut(at).unwrap_or_else(|| panic!("{field}"));
        *v = json!(v.as_i64().expect("integer") + 1);
    }
    client.send(&[client.packet("33333333-3333-4333-8333-333333333333", &wrong)]).await;
    let failed = client.inquire("33333333-3333-4333-8333-333333333333").await;
    assert_eq!(failed["status"], "FAILED");
    let codes: Vec<&str> =
        failed["data"]["error"].as_array().expect("errors").iter().filter_map(|e| e["code"].as_str()).collect();
    assert_eq!(codes, ["0204501"], "{failed}");

    // A token whose nonce was used, or signed by an unregistered certificate: 401.
    let token = client.token().await;
    assert_eq!(client.get("server-information", &token).await.status(), 200);
    let reused = client.get("server-information", &token).await;
    assert_eq!(reused.status(), 401);
    assert_eq!(reused.json::<Value>().await.expect("JSON")["errors"][0]["code"], "AUTH_INVALID_NONCE");
    let nonce: Value =
        http.get(format!("{}/nonce", client.base)).send().await.expect("nonce").json().await.expect("JSON");
    let uncrit = sign_with(&client.signer, &json!({"nonce": nonce["nonce"], "clientId": MEMORY}), false);
    let refused = client.get("server-information", &uncrit).await;
    assert_eq!(refused.json::<Value>().await.expect("JSON")["errors"][0]["code"], "TOKEN_INVALID_SIGT");
    let stranger =
        Client { http: http.clone(), base: service.base_url(), signer: TestSigner::new(NATIONAL_ID), org: None };
    let refused = stranger.get("server-information", &stranger.token().await).await;
    assert_eq!(refused.json::<Value>().await.expect("JSON")["errors"][0]["code"], "CERTIFICATE_INVALID_ISSUER");

    // A delayed answer: the client gives up, the invoice arrived all the same.
    service.delay_answers(Duration::from_millis(800));
    let slow = client.packet("44444444-4444-4444-8444-444444444444", &invoice(3));
    let res = http.post(format!("{}/invoice", client.base)).bearer_auth(client.token().await).json(&[slow]);
    assert!(res.timeout(Duration::from_millis(200)).send().await.expect_err("timed out").is_timeout());
    assert_eq!(service.invoices().len(), 3);
    service.delay_answers(Duration::ZERO);
    assert_eq!(client.inquire("44444444-4444-4444-8444-444444444444").await["status"], "SUCCESS");

    // reject_with fails a valid invoice with the given error.
    service.reject_with(Some(("0100999".into(), "سامانه در دسترس نیست".into())));
    client.send(&[client.packet("55555555-5555-4555-8555-555555555555", &invoice(4))]).await;
    service.reject_with(None);
    let last = service.invoices().pop().expect("recorded");
    assert_eq!((last.status.as_str(), last.errors.len()), ("FAILED", 1));
    assert_eq!(service.hits("invoice"), 5);

    // Stopped: kept-alive connections are cut and new ones refused.
    service.stop().await;
    let pooled = http.get(format!("{}/nonce", client.base)).send().await;
    assert!(pooled.is_err(), "answered while stopped");
    let fresh = reqwest::Client::new().get(format!("{}/nonce", client.base)).send().await;
    assert!(fresh.expect_err("answered while stopped").is_connect());
    service.restart().await;
    assert_eq!(client.get("server-information", &client.token().await).await.status(), 200);
    assert_eq!((service.duplicates(), service.invoices().len()), (1, 4));
}

/// The judge on its own: the sandbox-accepted V9 (two lines, a discount, a
/// 10% line), a decimal weight, and a few faults.
#[test]
fn judges_the_gold_arithmetic() {
    let mut v9 = invoice(9);
    v9["body"] = json!([
        {"sstid":"2710000044666","sstt":"النگو طلا ۱۸ عیار","am":2,"fee":10000000,"prdis":20000000,"dis":1000000,
         "adis":22550000,"vra":0,"vam":355000,"tsstam":22905000,"consfee":2500000,"bros":300000,"spro":750000,"tcpbs":3550000},
        {"sstid":"2710000050483","sstt":"پودر طلا آلیاژی","am":1,"fee":5000005,"prdis":5000005,"dis":0,"adis":5200010,
         "vra":10,"vam":520001,"tsstam":5720011,"consfee":200005,"bros":0,"spro":0,"tcpbs":200005}]);
    for (k, v) in [("tprdis", 25000005), ("tdis", 1000000), ("tadis", 27750010), ("tvam", 875001), ("tbill", 28625011)]
    {
        v9["header"][k] = json!(v);
    }
    assert_eq!(judge::judge(&v9, MEMORY, |_| false), []);

    // 3.217 g at 23,598,000.5 a gram: prdis truncated, 75,914,767.6085 → 75,914,767.
    let mut grams = invoice(10);
    let line = json!({"sstid":"2001584175153","am":3.217,"fee":23598000.5,"prdis":75914767,"dis":0,"adis":75914767,
        "vra":0,"vam":0,"tsstam":75914767,"consfee":0,"bros":0,"spro":0,"tcpbs":0,"mu":"1622","cui":750});
    grams["body"] = json!([line]);
    for (k, v) in [("tprdis", 75914767), ("tadis", 75914767), ("tvam", 0), ("tbill", 75914767)] {
        grams["header"][k] = json!(v);
    }
    assert_eq!(judge::judge(&grams, MEMORY, |_| false), []);

    let mut bad = invoice(11);
    bad["header"]["ins"] = json!(3);
    bad["header"]["irtaxid"] = json!("A1121604C220002F095011");
    bad["body"][0]["nw"] = json!(1);
    bad["body"][0].as_object_mut().expect("line").remove("bros");
    let codes: Vec<String> = judge::judge(&bad, "A11217", |_| false).into_iter().map(|(c, _)| c).collect();
    assert_eq!(codes, ["0100202", "0101201", "0200101", "0200301"]);
}
