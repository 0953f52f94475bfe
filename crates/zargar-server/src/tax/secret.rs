//! The server's secret: 32 random bytes in a file only the server's user
//! reads, under which each shop's private key is sealed at rest (a JWE,
//! `dir` with A256GCM, naming the shop in its authenticated header, so a
//! sealed key copied to another shop does not open). A database backup or
//! a stolen table holds no usable key without this file.

use std::io::Write;
use std::path::Path;

use josekit::jwe::{Dir, JweHeader};
use uuid::Uuid;

use super::TaxError;

pub struct Secret([u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// Reads the file (64 hexadecimal characters).
    pub fn load(path: &Path) -> Result<Secret, TaxError> {
        let text = std::fs::read_to_string(path).map_err(|e| TaxError::Secret(format!("{}: {e}", path.display())))?;
        let bytes =
            hex::decode(text.trim()).map_err(|_| TaxError::Secret(format!("{}: not hexadecimal", path.display())))?;
        let key: [u8; 32] =
            bytes.try_into().map_err(|_| TaxError::Secret(format!("{}: not 32 bytes", path.display())))?;
        Ok(Secret(key))
    }

    /// Reads the file, or makes it (mode 0600) when there is none yet.
    pub fn load_or_create(path: &Path) -> Result<Secret, TaxError> {
        if path.exists() {
            return Secret::load(path);
        }
        let key: [u8; 32] = rand::random();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(|e| TaxError::Secret(format!("{}: {e}", path.display())))?;
        writeln!(file, "{}", hex::encode(key)).map_err(|e| TaxError::Secret(format!("{}: {e}", path.display())))?;
        file.sync_all().map_err(|e| TaxError::Secret(format!("{}: {e}", path.display())))?;
        Ok(Secret(key))
    }

    /// Seals `clear` for `tenant`.
    pub fn seal(&self, clear: &str, tenant: Uuid) -> Result<String, TaxError> {
        let encrypter = Dir.encrypter_from_bytes(self.0).map_err(|e| TaxError::Crypto(e.to_string()))?;
        let mut h = JweHeader::new();
        h.set_content_encryption("A256GCM");
        h.set_claim("tenant", Some(tenant.to_string().into())).map_err(|e| TaxError::Crypto(e.to_string()))?;
        josekit::jwe::serialize_compact(clear.as_bytes(), &h, &encrypter).map_err(|e| TaxError::Crypto(e.to_string()))
    }

    /// Opens what `seal` made for `tenant`.
    pub fn open(&self, sealed: &str, tenant: Uuid) -> Result<String, TaxError> {
        let wrong = || TaxError::Secret("the sealed key does not open with this server's secret".into());
        let decrypter = Dir.decrypter_from_bytes(self.0).map_err(|e| TaxError::Crypto(e.to_string()))?;
        let (clear, header) = josekit::jwe::deserialize_compact(sealed, &decrypter).map_err(|_| wrong())?;
        if header.claims_set().get("tenant").and_then(|v| v.as_str()) != Some(tenant.to_string().as_str()) {
            return Err(wrong());
        }
        String::from_utf8(clear).map_err(|_| wrong())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_only_for_its_shop_and_with_its_secret() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("secret");
        let secret = Secret::load_or_create(&path).expect("made");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let sealed = secret.seal("-----BEGIN PRIVATE KEY-----", a).expect("sealed");
        assert!(!sealed.contains("PRIVATE"));
        assert_eq!(Secret::load(&path).expect("again").open(&sealed, a).expect("opens"), "-----BEGIN PRIVATE KEY-----");
        assert!(secret.open(&sealed, b).is_err(), "another shop's");
        let other = Secret::load_or_create(&dir.path().join("other")).expect("other");
        assert!(other.open(&sealed, a).is_err(), "another server's secret");
    }
}
