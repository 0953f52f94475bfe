//! `zargar verify-bundle`, run as IT runs it before installing a package:
//! the real binary against keys and signatures made here with the
//! `minisign` crate, written in minisign's plain text and in Tauri's
//! base64-wrapped form (`tauri signer generate` / `tauri signer sign`).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// A throwaway release key pair.
struct ReleaseKey {
    pk: minisign::PublicKey,
    sk: minisign::SecretKey,
}

impl ReleaseKey {
    fn new() -> ReleaseKey {
        let minisign::KeyPair { pk, sk } = minisign::KeyPair::generate_unencrypted_keypair().expect("key pair");
        ReleaseKey { pk, sk }
    }

    /// The key id as minisign prints it.
    fn id(&self) -> String {
        let id: [u8; 8] = self.pk.keynum().try_into().expect("8-byte key id");
        format!("{:016X}", u64::from_le_bytes(id))
    }

    /// minisign's `.pub` file: `untrusted comment: …` then the `RW…` line.
    fn pub_text(&self) -> String {
        self.pk.to_box().expect("public key box").to_string()
    }

    /// The secret key as Tauri writes it (what must never be handed out).
    fn secret_tauri(&self) -> String {
        tauri(&self.sk.to_box(None).expect("secret key box").to_string())
    }

    /// A minisign signature file of `data`, with the trusted comment Tauri writes.
    fn sign(&self, data: &[u8], name: &str) -> String {
        let trusted = format!("timestamp:1760000000\tfile:{name}");
        minisign::sign(
            Some(&self.pk),
            &self.sk,
            Cursor::new(data),
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .expect("sign")
        .to_string()
    }
}

/// Tauri's form of a key or signature file: the base64 of minisign's text.
fn tauri(text: &str) -> String {
    STANDARD.encode(text)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

fn zargar(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_zargar")).args(args).output().expect("run zargar");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write");
    p
}

/// Something that looks like a package: a few KB of varied bytes.
fn package_bytes() -> Vec<u8> {
    let mut v = b"!<arch>\ndebian-binary   ".to_vec();
    v.extend((0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    v
}

const DEB: &str = "zargar-pos_0.1.0_amd64.deb";

fn assert_ok(r: &Run) {
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
}

fn assert_refused(r: &Run) {
    assert_eq!(r.code, 1, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
}

#[test]
fn a_good_file_verifies_with_plain_and_tauri_keys_and_signatures() {
    let key = ReleaseKey::new();
    let data = package_bytes();
    let trusted = format!("timestamp:1760000000\tfile:{DEB}");

    // minisign's plain forms: KEY.pub and FILE.minisig.
    let plain = tempfile::tempdir().expect("tempdir");
    let deb = write(plain.path(), DEB, &data);
    let key_pub = write(plain.path(), "zargar-release.pub", key.pub_text());
    write(plain.path(), &format!("{DEB}.minisig"), key.sign(&data, DEB));

    // Tauri's forms: the key file and FILE.sig are base64 of the same texts.
    let wrapped = tempfile::tempdir().expect("tempdir");
    let deb_t = write(wrapped.path(), DEB, &data);
    let key_t = write(wrapped.path(), "zargar-release.key.pub", tauri(&key.pub_text()));
    write(wrapped.path(), &format!("{DEB}.sig"), tauri(&key.sign(&data, DEB)));

    // The public key's own comment names the same id we print.
    assert!(key.pub_text().starts_with(&format!("untrusted comment: minisign public key: {}", key.id())));

    for (file, pubkey) in [(&deb, &key_pub), (&deb_t, &key_t), (&deb, &key_t), (&deb_t, &key_pub)] {
        let r = zargar(&["verify-bundle", s(file), "--pubkey", s(pubkey), "--lang", "en"]);
        assert_ok(&r);
        assert!(r.stdout.contains(&format!("\"{}\" matches its signature.", s(file))), "{}", r.stdout);
        assert!(r.stdout.contains(&format!("Key id: {}", key.id())), "{}", r.stdout);
        assert!(r.stdout.contains(&format!("Trusted comment: {trusted}")), "{}", r.stdout);
    }
    // FILE.minisig is preferred; FILE.sig is used when it is the only one.
    let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&key_pub), "--json"]);
    assert_ok(&r);
    let j = r.json();
    assert_eq!(j["ok"], true);
    assert_eq!(j["file"], s(&deb));
    assert_eq!(j["key_id"], key.id());
    assert_eq!(j["trusted_comment"], trusted);
    assert!(j["signature"].as_str().expect("signature").ends_with(".minisig"), "{j}");
    let j = zargar(&["verify-bundle", s(&deb_t), "--pubkey", s(&key_t), "--json"]).json();
    assert!(j["signature"].as_str().expect("signature").ends_with(".deb.sig"), "{j}");

    // A bare RW… line, in a file or on the command line; --signature in either form.
    let line = key.pub_text().lines().nth(1).expect("key line").to_owned();
    assert!(line.starts_with("RW"), "{line}");
    let bare = write(plain.path(), "bare.pub", format!("{line}\n"));
    let sig_t = wrapped.path().join(format!("{DEB}.sig"));
    for (pubkey, sig) in [(s(&bare), s(&sig_t)), (line.as_str(), s(&sig_t)), (line.as_str(), "")] {
        let mut args = vec!["verify-bundle", s(&deb), "--pubkey", pubkey, "--lang", "en"];
        if !sig.is_empty() {
            args.extend(["--signature", sig]);
        }
        assert_ok(&zargar(&args));
    }

    // Persian by default.
    let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&key_pub)]);
    assert_ok(&r);
    assert!(r.stdout.contains("با امضایش مطابقت دارد"), "{}", r.stdout);
    assert!(r.stdout.contains(&key.id()), "{}", r.stdout);

    // Debian's minisign accepts the same plain files.
    match Command::new("minisign").arg("-v").output() {
        Ok(_) => {
            let out =
                Command::new("minisign").args(["-Vm", s(&deb), "-p", s(&key_pub)]).output().expect("run minisign");
            let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "minisign -V refused: {said}");
            assert!(said.contains(&trusted), "{said}");
            // …and refuses a changed file, as we do.
            let mut bad = data.clone();
            bad[100] ^= 1;
            std::fs::write(&deb, &bad).expect("write");
            let out =
                Command::new("minisign").args(["-Vm", s(&deb), "-p", s(&key_pub)]).output().expect("run minisign");
            assert!(!out.status.success(), "minisign -V accepted a changed file");
        }
        Err(_) => eprintln!("note: `minisign` is not installed; skipped checking that it accepts these files"),
    }
}

#[test]
fn one_changed_byte_fails_as_altered() {
    let key = ReleaseKey::new();
    let data = package_bytes();
    let dir = tempfile::tempdir().expect("tempdir");
    let key_pub = write(dir.path(), "zargar-release.key.pub", tauri(&key.pub_text()));
    let mut changed = data.clone();
    changed[12_345] ^= 0x01;
    let deb = write(dir.path(), DEB, &changed);

    for (sig_name, sig) in [("plain.minisig", key.sign(&data, DEB)), ("tauri.sig", tauri(&key.sign(&data, DEB)))] {
        let sig = write(dir.path(), sig_name, sig);
        let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&key_pub), "--signature", s(&sig), "--lang", "en"]);
        assert_refused(&r);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        assert!(r.stderr.contains("does NOT match its signature"), "{}", r.stderr);
        assert!(r.stderr.contains("altered"), "{}", r.stderr);
        assert!(r.stderr.contains("Do not install it"), "{}", r.stderr);

        let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&key_pub), "--signature", s(&sig), "--json"]);
        assert_refused(&r);
        assert_eq!(r.json()["error"]["code"], "cli-bundle-altered");

        let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&key_pub), "--signature", s(&sig)]);
        assert_refused(&r);
        assert!(r.stderr.contains("با امضایش مطابقت ندارد"), "{}", r.stderr);
    }

    // A changed trusted comment breaks the global signature just the same.
    let forged = key.sign(&data, DEB).replace("timestamp:1760000000", "timestamp:1760000001");
    let sig = write(dir.path(), "forged.minisig", forged);
    let deb = write(dir.path(), DEB, &data);
    let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&key_pub), "--signature", s(&sig), "--lang", "en"]);
    assert_refused(&r);
    assert!(r.stderr.contains("altered"), "{}", r.stderr);
}

#[test]
fn a_signature_by_another_key_names_both_key_ids() {
    let ours = ReleaseKey::new();
    let theirs = ReleaseKey::new();
    assert_ne!(ours.id(), theirs.id());
    let data = package_bytes();
    let dir = tempfile::tempdir().expect("tempdir");
    let deb = write(dir.path(), DEB, &data);
    let key_pub = write(dir.path(), "zargar-release.pub", ours.pub_text());
    write(dir.path(), &format!("{DEB}.sig"), tauri(&theirs.sign(&data, DEB)));

    let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&key_pub), "--lang", "en"]);
    assert_refused(&r);
    assert!(r.stderr.contains("does NOT match its signature"), "{}", r.stderr);
    assert!(r.stderr.contains("another key"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("key id {}, expected {}", theirs.id(), ours.id())),
        "{}\n(theirs {}, ours {})",
        r.stderr,
        theirs.id(),
        ours.id()
    );
    let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&key_pub), "--json"]);
    assert_refused(&r);
    assert_eq!(r.json()["error"]["code"], "cli-bundle-other-key");
}

#[test]
fn a_missing_signature_names_where_it_looked() {
    let key = ReleaseKey::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let deb = write(dir.path(), DEB, package_bytes());
    let key_pub = write(dir.path(), "zargar-release.pub", key.pub_text());

    let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&key_pub), "--lang", "en"]);
    assert_refused(&r);
    assert!(r.stderr.contains("no signature file found"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{}.minisig", s(&deb))), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{}.sig", s(&deb))), "{}", r.stderr);
    assert!(r.stderr.contains("Do not install it"), "{}", r.stderr);

    let missing = dir.path().join("elsewhere.sig");
    let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&key_pub), "--signature", s(&missing), "--json"]);
    assert_refused(&r);
    let j = r.json();
    assert_eq!(j["error"]["code"], "cli-bundle-no-signature");
    assert!(j["error"]["message"].as_str().expect("message").contains(s(&missing)), "{j}");
}

#[test]
fn an_unreadable_or_secret_key_is_refused_as_such() {
    let key = ReleaseKey::new();
    let data = package_bytes();
    let dir = tempfile::tempdir().expect("tempdir");
    let deb = write(dir.path(), DEB, &data);
    write(dir.path(), &format!("{DEB}.sig"), tauri(&key.sign(&data, DEB)));
    let garbage = write(dir.path(), "garbage.pub", "not a key at all\n");
    let secret = write(dir.path(), "zargar-release.key", key.secret_tauri());
    let absent = dir.path().join("absent.pub");

    for k in [s(&garbage), s(&absent), "RWQnotakey"] {
        let r = zargar(&["verify-bundle", s(&deb), "--pubkey", k, "--lang", "en"]);
        assert_refused(&r);
        assert!(r.stderr.contains("is NOT verified"), "{}", r.stderr);
        assert!(r.stderr.contains(&format!("the public key \"{k}\" is unreadable")), "{}", r.stderr);
    }
    let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&secret), "--json"]);
    assert_refused(&r);
    assert_eq!(r.json()["error"]["code"], "cli-bundle-key-secret");

    // A signature file that is not one.
    let key_pub = write(dir.path(), "zargar-release.pub", key.pub_text());
    let bad_sig = write(dir.path(), "bad.sig", "hello\n");
    let r = zargar(&["verify-bundle", s(&deb), "--pubkey", s(&key_pub), "--signature", s(&bad_sig), "--json"]);
    assert_refused(&r);
    assert_eq!(r.json()["error"]["code"], "cli-bundle-signature-unreadable");

    // Usage errors stay exit 2.
    assert_eq!(zargar(&["verify-bundle", s(&deb)]).code, 2);
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

#[test]
fn sha256sums_checks_the_files_it_lists_and_names_a_changed_one() {
    let key = ReleaseKey::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let deb = package_bytes();
    let rpm = b"an rpm, in spirit".to_vec();
    write(dir.path(), DEB, &deb);
    write(dir.path(), "zargar-pos-0.1.0-1.x86_64.rpm", &rpm);
    let sums = format!(
        "{}  {DEB}\n{} *zargar-pos-0.1.0-1.x86_64.rpm\n{}  zargar-pos_0.1.0_amd64.AppImage\n",
        sha256_hex(&deb),
        sha256_hex(&rpm),
        sha256_hex(b"not published here"),
    );
    let sums_path = write(dir.path(), "SHA256SUMS", &sums);
    write(dir.path(), "SHA256SUMS.sig", tauri(&key.sign(sums.as_bytes(), "SHA256SUMS")));
    let key_pub = write(dir.path(), "zargar-release.key.pub", tauri(&key.pub_text()));

    let r = zargar(&["verify-bundle", s(&sums_path), "--pubkey", s(&key_pub), "--lang", "en"]);
    assert_ok(&r);
    assert!(r.stdout.contains(&format!("{DEB}: matches SHA256SUMS")), "{}", r.stdout);
    assert!(r.stdout.contains("zargar-pos-0.1.0-1.x86_64.rpm: matches SHA256SUMS"), "{}", r.stdout);
    assert!(r.stdout.contains("zargar-pos_0.1.0_amd64.AppImage: not in this folder; not checked"), "{}", r.stdout);

    // The package changed after SHA256SUMS was signed.
    let mut changed = deb.clone();
    changed[7] ^= 0x80;
    write(dir.path(), DEB, &changed);
    let r = zargar(&["verify-bundle", s(&sums_path), "--pubkey", s(&key_pub), "--lang", "en"]);
    assert_refused(&r);
    assert!(r.stdout.contains(&format!("{DEB}: DIFFERS from SHA256SUMS")), "{}", r.stdout);
    assert!(r.stdout.contains("zargar-pos-0.1.0-1.x86_64.rpm: matches SHA256SUMS"), "{}", r.stdout);
    assert!(r.stderr.contains(&format!("do NOT match it: {DEB}. Do not install them.")), "{}", r.stderr);
    assert!(!r.stderr.contains(".rpm"), "{}", r.stderr);

    let r = zargar(&["verify-bundle", s(&sums_path), "--pubkey", s(&key_pub), "--json"]);
    assert_refused(&r);
    let j = r.json();
    assert_eq!(j["ok"], false);
    assert_eq!(j["key_id"], key.id());
    assert_eq!(j["error"]["code"], "cli-bundle-sums-failed");
    let status = |name: &str| {
        j["files"].as_array().expect("files").iter().find(|f| f["name"] == name).map(|f| f["status"].clone())
    };
    assert_eq!(status(DEB), Some("differs".into()));
    assert_eq!(status("zargar-pos-0.1.0-1.x86_64.rpm"), Some("ok".into()));
    assert_eq!(status("zargar-pos_0.1.0_amd64.AppImage"), Some("absent".into()));

    // In Persian, the changed file is named too.
    let r = zargar(&["verify-bundle", s(&sums_path), "--pubkey", s(&key_pub)]);
    assert_refused(&r);
    assert!(r.stderr.contains(DEB), "{}", r.stderr);

    // SHA256SUMS itself changed: its signature fails first.
    write(dir.path(), "SHA256SUMS", sums.replace(&sha256_hex(&deb), &sha256_hex(&changed)));
    let r = zargar(&["verify-bundle", s(&sums_path), "--pubkey", s(&key_pub), "--json"]);
    assert_refused(&r);
    assert_eq!(r.json()["error"]["code"], "cli-bundle-altered");
}
