//! Signing for the tax organisation and sealing for it, with josekit and
//! OpenSSL (no cryptography of our own): an invoice or an access token is a
//! JWS (RS256) under the shop's key, carrying its certificate in `x5c` and
//! the signing time in `sigT` (a critical header); an invoice is then put
//! in a JWE (RSA-OAEP-256, A256GCM) to the service's public key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use josekit::jwe::{JweHeader, RSA_OAEP_256};
use josekit::jws::alg::rsassa::RsassaJwsSigner;
use josekit::jws::{JwsHeader, RS256};
use openssl::pkey::PKey;
use openssl::x509::X509;

use super::TaxError;

/// The shop's signing key with its certificate.
pub struct ShopSigner {
    signer: RsassaJwsSigner,
    /// The certificate as `x5c` carries it: standard base64 of its DER.
    x5c: String,
}

impl std::fmt::Debug for ShopSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShopSigner").finish_non_exhaustive()
    }
}

impl ShopSigner {
    /// From PEM; the certificate must be the key's.
    pub fn new(key_pem: &str, cert_pem: &str) -> Result<ShopSigner, TaxError> {
        let bad = |what: &str| TaxError::Identity(what.to_owned());
        let cert = X509::from_pem(cert_pem.as_bytes()).map_err(|_| bad("the certificate is not an X.509 PEM"))?;
        let key =
            PKey::private_key_from_pem(key_pem.as_bytes()).map_err(|_| bad("the key is not a private key PEM"))?;
        let public = cert.public_key().map_err(|_| bad("the certificate has no public key"))?;
        if !public.public_eq(&key) {
            return Err(bad("the certificate is not the key's"));
        }
        let signer = RS256
            .signer_from_pem(key_pem.as_bytes())
            .map_err(|_| bad("the key is not an RSA key of 2048 bits or more"))?;
        let der = cert.to_der().map_err(|_| bad("the certificate does not encode"))?;
        Ok(ShopSigner { signer, x5c: STANDARD.encode(der) })
    }

    /// A compact JWS of `payload`, signed at `at`.
    pub fn sign(&self, payload: &[u8], at: DateTime<Utc>) -> Result<String, TaxError> {
        let mut h = JwsHeader::new();
        h.set_token_type("jose");
        h.set_content_type("text/plain");
        h.set_critical(&vec!["sigT"]);
        h.set_claim("sigT", Some(at.format("%Y-%m-%dT%H:%M:%SZ").to_string().into()))
            .and_then(|()| h.set_claim("x5c", Some(vec![self.x5c.clone()].into())))
            .map_err(|e| TaxError::Crypto(e.to_string()))?;
        josekit::jws::serialize_compact(payload, &h, &self.signer).map_err(|e| TaxError::Crypto(e.to_string()))
    }
}

/// A compact JWE of `jws` to the service's key (`key`: base64 of its
/// SubjectPublicKeyInfo DER, as its server information gives it).
pub fn encrypt(jws: &str, key: &str, kid: &str) -> Result<String, TaxError> {
    let der = STANDARD.decode(key.trim()).map_err(|_| TaxError::Service("the service's key is not base64".into()))?;
    let encrypter =
        RSA_OAEP_256.encrypter_from_der(der).map_err(|e| TaxError::Service(format!("the service's key: {e}")))?;
    let mut h = JweHeader::new();
    h.set_content_encryption("A256GCM");
    h.set_key_id(kid);
    josekit::jwe::serialize_compact(jws.as_bytes(), &h, &encrypter).map_err(|e| TaxError::Crypto(e.to_string()))
}
