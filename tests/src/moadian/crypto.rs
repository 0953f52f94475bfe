//! Keys, certificates and the JOSE checks of the stand-in. josekit (on
//! OpenSSL) does every signature and cipher; this file only picks the key a
//! message names and says which header rules the tax organisation adds.

use std::fmt;

use josekit::jwe::{self, RSA_OAEP_256, alg::rsaes::RsaesJweDecrypter};
use josekit::jws::{JwsContext, RS256};
use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::{X509, X509NameBuilder};

/// A (code, message) pair, as the service reports a fault.
pub(super) type Fault = (String, String);

fn fault(code: &str, message: &str) -> Fault {
    (code.to_owned(), message.to_owned())
}

/// A fresh RSA-2048 key pair.
pub(super) fn rsa_key() -> PKey<Private> {
    let rsa = Rsa::generate(2048).expect("RSA-2048 key");
    PKey::from_rsa(rsa).expect("RSA key")
}

/// The tax organisation's key: what it publishes, and the decrypter of
/// packets addressed to it (josekit refuses a packet whose `kid` is not ours).
pub(super) struct OrgKey {
    pub key_id: String,
    /// SubjectPublicKeyInfo, DER: what `server-information` publishes.
    pub public_der: Vec<u8>,
    decrypter: RsaesJweDecrypter,
}

impl fmt::Debug for OrgKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrgKey").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

impl OrgKey {
    pub fn new(key_id: String) -> OrgKey {
        let key = rsa_key();
        let public_der = key.public_key_to_der().expect("public key DER");
        let pem = key.private_key_to_pem_pkcs8().expect("private key PEM");
        let mut decrypter = RSA_OAEP_256.decrypter_from_pem(pem).expect("RSA-OAEP-256 decrypter");
        decrypter.set_key_id(key_id.clone());
        OrgKey { key_id, public_der, decrypter }
    }

    /// The compact JWS inside a packet's compact JWE (RSA-OAEP-256, A256GCM).
    pub fn decrypt(&self, jwe: &str) -> Result<String, Fault> {
        let header = josekit::jwt::decode_header(jwe).map_err(|_| fault("0100101", "بسته رمز شده (JWE) خوانا نیست"))?;
        if header.claim("kid").and_then(|v| v.as_str()) != Some(self.key_id.as_str()) {
            return Err(fault("0100101", "شناسه کلید رمزنگاری (kid) نادرست است"));
        }
        if header.claim("enc").and_then(|v| v.as_str()) != Some("A256GCM") {
            return Err(fault("0100101", "الگوریتم رمزنگاری (enc) باید A256GCM باشد"));
        }
        let (plain, _) = jwe::deserialize_compact(jwe, &self.decrypter)
            .map_err(|_| fault("0100101", "رمزگشایی بسته (JWE) ممکن نیست"))?;
        String::from_utf8(plain).map_err(|_| fault("0100101", "محتوای بسته متن UTF-8 نیست"))
    }
}

/// A test shop's signing key and self-signed certificate, RSA-2048, CN and
/// serialNumber = the national id (as the Iranian CAs issue them).
pub struct TestSigner {
    pub key_pem: String,
    pub cert_pem: String,
}

impl fmt::Debug for TestSigner {
    // The key stays out of test logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestSigner").field("cert_pem", &self.cert_pem).finish_non_exhaustive()
    }
}

impl TestSigner {
    /// A new key and a certificate valid from yesterday for a year.
    pub fn new(national_id: &str) -> TestSigner {
        let key = rsa_key();
        let mut name = X509NameBuilder::new().expect("name");
        name.append_entry_by_nid(Nid::COMMONNAME, national_id).expect("CN");
        name.append_entry_by_nid(Nid::SERIALNUMBER, national_id).expect("serialNumber");
        let name = name.build();
        let mut serial = BigNum::new().expect("bignum");
        serial.rand(64, MsbOption::MAYBE_ZERO, false).expect("random serial");
        let serial = Asn1Integer::from_bn(&serial).expect("serial");
        let mut cert = X509::builder().expect("certificate");
        cert.set_version(2).expect("v3");
        cert.set_serial_number(&serial).expect("serial");
        cert.set_subject_name(&name).expect("subject");
        cert.set_issuer_name(&name).expect("issuer");
        cert.set_pubkey(&key).expect("public key");
        let now = chrono::Utc::now().timestamp();
        cert.set_not_before(&Asn1Time::from_unix(now - 86_400).expect("time")).expect("not before");
        cert.set_not_after(&Asn1Time::days_from_now(365).expect("time")).expect("not after");
        cert.sign(&key, MessageDigest::sha256()).expect("self-sign");
        let cert = cert.build();
        TestSigner {
            key_pem: String::from_utf8(key.private_key_to_pem_pkcs8().expect("PEM")).expect("ASCII"),
            cert_pem: String::from_utf8(cert.to_pem().expect("PEM")).expect("ASCII"),
        }
    }
}

/// The DER of a PEM certificate (what `register` stores and `x5c` carries).
pub(super) fn cert_der(cert_pem: &str) -> Vec<u8> {
    let cert = X509::from_pem(cert_pem.as_bytes()).expect("an X.509 certificate in PEM");
    cert.to_der().expect("certificate DER")
}

/// A compact JWS as the tax organisation signs and reads them: RS256 by the
/// key of the first `x5c` certificate, `sigT` present and named in `crit`.
/// The payload and that certificate (DER); the caller checks who it is.
pub(super) fn verify_jws(compact: &str, prefix: &str) -> Result<(Vec<u8>, Vec<u8>), Fault> {
    let bad_format = || fault(&format!("{prefix}_INVALID_FORMAT"), "امضا (JWS) خوانا نیست");
    if compact.split('.').count() != 3 {
        return Err(bad_format());
    }
    let header = josekit::jwt::decode_header(compact).map_err(|_| bad_format())?;
    let cert = header
        .claim("x5c")
        .and_then(|v| v.as_array())
        .and_then(|a| a.first())
        .and_then(|v| v.as_str())
        .and_then(|b64| openssl::base64::decode_block(b64).ok())
        .ok_or_else(|| fault("CERTIFICATE_NOT_FOUND", "گواهی امضا (x5c) یافت نشد"))?;
    let public = X509::from_der(&cert)
        .and_then(|c| c.public_key())
        .and_then(|k| k.public_key_to_der())
        .map_err(|_| fault("CERTIFICATE_INVALID", "گواهی امضا (x5c) خوانا نیست"))?;
    let verifier =
        RS256.verifier_from_der(&public).map_err(|_| fault("CERTIFICATE_INVALID", "کلید گواهی RSA-2048 نیست"))?;
    // josekit refuses any `crit` name it was not told of; sigT is the one
    // the tax organisation defines (the signing time), so it is accepted
    // here and its presence checked below.
    let mut context = JwsContext::new();
    context.add_acceptable_critical("sigT");
    let (payload, header) = context
        .deserialize_compact(compact, &verifier)
        .map_err(|_| fault(&format!("{prefix}_INVALID_SIGNATURE"), "امضا (JWS) نامعتبر است"))?;
    let named = header.critical().is_some_and(|c| c.contains(&"sigT"));
    let sig_t = header.claim("sigT").and_then(|v| v.as_str()).is_some_and(valid_sig_t);
    if !named || !sig_t {
        return Err(fault(&format!("{prefix}_INVALID_SIGT"), "زمان امضا (sigT) در سرآیند امضا نیست یا نادرست است"));
    }
    Ok((payload, cert))
}

/// `yyyy-MM-ddTHH:mm:ssZ`, optionally followed by the local offset
/// (`Z+0330`), as RC_TICS allows.
fn valid_sig_t(s: &str) -> bool {
    let Some(time) = s.get(..20) else { return false };
    let offset = &s[20..];
    chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%dT%H:%M:%SZ").is_ok()
        && (offset.is_empty()
            || (offset.len() == 5 && offset.starts_with(['+', '-']) && offset[1..].bytes().all(|b| b.is_ascii_digit())))
}

/// Whether the certificate (DER) is within its validity period now.
pub(super) fn cert_current(der: &[u8]) -> bool {
    let Ok(cert) = X509::from_der(der) else { return false };
    let Ok(now) = Asn1Time::days_from_now(0) else { return false };
    cert.not_before() <= now && now <= cert.not_after()
}
