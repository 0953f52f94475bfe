//! Device tokens and enrolment codes.
//!
//! A token is 256 random bits, shown to the till once; the server keeps
//! only its SHA-256 and compares hashes in constant time. An enrolment code
//! is short enough to type, single use and valid for 15 minutes.

use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// How long an enrolment code is good for.
pub const CODE_LIFETIME_MINUTES: i64 = 15;

/// A fresh device token: 32 random bytes, hex, with a prefix that lets a
/// secret scanner recognise one that leaked into a log or a repository.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("zgr_{}", hex::encode(bytes))
}

/// A code the owner reads out or types: 10 characters from an alphabet
/// without look-alikes (no 0/O, 1/I/L), about 50 bits, grouped for reading.
pub fn new_enrol_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let chars: String = (0..10)
        .map(|_| {
            let i = (rng.next_u32() as usize) % ALPHABET.len();
            char::from(ALPHABET[i])
        })
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// Codes are compared without the dash and case, as people type them.
pub fn normalize_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

pub fn hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

pub fn same_hash(stored: &[u8], presented: &[u8; 32]) -> bool {
    stored.len() == presented.len() && bool::from(stored.ct_eq(presented))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_distinct() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 4 + 64);
        assert_ne!(a, b);
        assert!(same_hash(&hash(&a), &hash(&a)));
        assert!(!same_hash(&hash(&a), &hash(&b)));
        assert!(!same_hash(&hash(&a)[..31], &hash(&a)));
    }

    #[test]
    fn codes_are_typed_loosely() {
        let code = new_enrol_code();
        assert_eq!(code.len(), 11);
        assert_eq!(normalize_code(&code.to_lowercase()), normalize_code(&code));
        assert_eq!(normalize_code(" abcde-fghjk "), "ABCDEFGHJK");
    }
}
