//! `zargar verify-bundle`: does a file we published match its minisign
//! signature? IT runs it before installing a package.
//!
//! Keys and signatures come in two forms, and both are accepted:
//! - Tauri's (`tauri signer generate` / `tauri signer sign`): the file's
//!   content is the base64 of the minisign text;
//! - minisign's own text (`KEY.pub`, `FILE.minisig`), which Debian's
//!   `minisign -Vm FILE -p KEY.pub` reads.
//!
//! A bare `RW…` key line, in a file or given on the command line, works too.
//! For a file named `SHA256SUMS`, the files it lists that are present in its
//! folder are checked against it once its own signature checks out.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use clap::Args;
use serde::Serialize;
use sha2::{Digest, Sha256};
use zargar_core::error::Arg;

use crate::{Ctx, Failure, Outcome};

#[derive(Debug, Args)]
pub(crate) struct VerifyBundleArgs {
    /// The file to check: a package we published, or SHA256SUMS (then the
    /// files it lists in the same folder are checked too).
    file: PathBuf,
    /// Our release public key: a file (Tauri's base64-wrapped key,
    /// minisign's .pub, or a bare RW… line), or the RW… key itself.
    #[arg(long)]
    pubkey: String,
    /// The signature (minisign text or Tauri's base64-wrapped .sig);
    /// by default FILE.minisig, else FILE.sig.
    #[arg(long)]
    signature: Option<PathBuf>,
}

/// The first line of every minisign key and signature file.
const COMMENT_PREFIX: &str = "untrusted comment:";

/// The file SHA256SUMS lists are checked when FILE has this name.
const SUMS_NAME: &str = "SHA256SUMS";

/// A public key and its id as minisign prints it.
struct Key {
    key: minisign_verify::PublicKey,
    id: String,
}

/// A signature and the id of the key that made it.
struct Sig {
    sig: minisign_verify::Signature,
    key_id: String,
}

/// How one file listed in SHA256SUMS fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum SumStatus {
    Ok,
    Differs,
    Unreadable,
    /// Listed but not in the folder: not checked, not a failure.
    Absent,
    /// An absolute path or one that leaves the folder: not checked.
    Outside,
}

impl SumStatus {
    fn message_id(self) -> &'static str {
        match self {
            SumStatus::Ok => "cli-bundle-sum-ok",
            SumStatus::Differs => "cli-bundle-sum-differs",
            SumStatus::Unreadable => "cli-bundle-sum-unreadable",
            SumStatus::Absent => "cli-bundle-sum-absent",
            SumStatus::Outside => "cli-bundle-sum-outside",
        }
    }

    fn is_failure(self) -> bool {
        matches!(self, SumStatus::Differs | SumStatus::Unreadable)
    }
}

#[derive(Debug, Serialize)]
struct SumResult {
    name: String,
    status: SumStatus,
}

pub(crate) fn verify_bundle(ctx: &Ctx, a: &VerifyBundleArgs) -> Outcome {
    let file = a.file.display().to_string();
    let fail = |id: &'static str, mut args: Vec<(&'static str, Arg)>| {
        args.push(("file", Arg::Text(file.clone())));
        Failure::Message(id, args)
    };

    let key = load_key(&a.pubkey).map_err(|secret| {
        let id = if secret { "cli-bundle-key-secret" } else { "cli-bundle-key-unreadable" };
        fail(id, vec![("key", Arg::Text(a.pubkey.clone()))])
    })?;

    let candidates = match &a.signature {
        Some(s) => vec![s.clone()],
        None => vec![with_suffix(&a.file, ".minisig"), with_suffix(&a.file, ".sig")],
    };
    let Some(sig_path) = candidates.iter().find(|p| p.is_file()) else {
        let looked = candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        return Err(fail("cli-bundle-no-signature", vec![("looked", Arg::Text(looked))]));
    };
    let signature = sig_path.display().to_string();
    let sig = std::fs::read(sig_path)
        .ok()
        .and_then(|raw| parse_signature(&raw))
        .ok_or_else(|| fail("cli-bundle-signature-unreadable", vec![("signature", Arg::Text(signature.clone()))]))?;

    if sig.key_id != key.id {
        return Err(fail(
            "cli-bundle-other-key",
            vec![("found", Arg::Text(sig.key_id.clone())), ("expected", Arg::Text(key.id.clone()))],
        ));
    }

    let unreadable = || Failure::Message("cli-file-unreadable", vec![("file", Arg::Text(file.clone()))]);
    let is_sums = a.file.file_name().is_some_and(|n| n == SUMS_NAME);
    // SHA256SUMS is read once, so the lines checked are the bytes verified.
    let sums = if is_sums { Some(std::fs::read(&a.file).map_err(|_| unreadable())?) } else { None };
    let verified = match &sums {
        Some(bytes) => verify(&key, &sig, &mut bytes.as_slice()),
        None => verify(&key, &sig, &mut File::open(&a.file).map_err(|_| unreadable())?),
    };
    match verified {
        Ok(()) => {}
        Err(VerifyError::Io) => return Err(unreadable()),
        Err(VerifyError::Mismatch) => return Err(fail("cli-bundle-altered", vec![])),
    }

    let header = || {
        [
            ctx.tf("cli-bundle-ok", &[("file", Arg::Text(file.clone()))]),
            ctx.tf("cli-bundle-signature", &[("signature", Arg::Text(signature.clone()))]),
            ctx.tf("cli-bundle-key-id", &[("key_id", Arg::Text(key.id.clone()))]),
            ctx.tf("cli-bundle-trusted-comment", &[("comment", Arg::Text(sig.sig.trusted_comment().to_owned()))]),
        ]
    };
    let mut json = serde_json::json!({
        "ok": true,
        "file": file,
        "signature": signature,
        "key_id": key.id,
        "trusted_comment": sig.sig.trusted_comment(),
    });

    let Some(sums) = sums else {
        if ctx.json {
            ctx.print_json(&json);
        } else {
            header().iter().for_each(|l| println!("{l}"));
        }
        return Ok(());
    };

    let folder = match a.file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (results, failure) = match check_sums(&folder, &sums) {
        Ok(results) => {
            let bad: Vec<&str> = results.iter().filter(|r| r.status.is_failure()).map(|r| r.name.as_str()).collect();
            let failure = (!bad.is_empty()).then(|| {
                (
                    "cli-bundle-sums-failed",
                    ctx.tf(
                        "cli-bundle-sums-failed",
                        &[
                            ("file", Arg::Text(file.clone())),
                            ("count", Arg::Number(bad.len().into())),
                            ("names", Arg::Text(bad.join(", "))),
                        ],
                    ),
                )
            });
            (results, failure)
        }
        Err(line) => {
            let msg = ctx.tf(
                "cli-bundle-sums-malformed",
                &[("file", Arg::Text(file.clone())), ("line", Arg::Number(line.into()))],
            );
            (Vec::new(), Some(("cli-bundle-sums-malformed", msg)))
        }
    };

    if ctx.json {
        json["files"] = serde_json::json!(results);
        if let Some((code, message)) = &failure {
            json["ok"] = false.into();
            json["error"] = serde_json::json!({"code": code, "message": message});
        }
        ctx.print_json(&json);
    } else {
        header().iter().for_each(|l| println!("{l}"));
        for r in &results {
            println!("{}", ctx.tf(r.status.message_id(), &[("name", Arg::Text(r.name.clone()))]));
        }
        if let Some((_, message)) = &failure {
            eprintln!("{message}");
        }
    }
    match failure {
        Some(_) => Err(Failure::Reported),
        None => Ok(()),
    }
}

/// `FILE` with `suffix` appended to its name: `a.deb` → `a.deb.sig`.
fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The minisign text of a key or signature file, whether it is that text
/// or Tauri's base64 of it.
fn minisign_text(raw: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(raw).ok()?.trim_start_matches('\u{feff}').trim();
    if text.starts_with(COMMENT_PREFIX) {
        return Some(text.to_owned());
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let decoded = String::from_utf8(STANDARD.decode(compact).ok()?).ok()?;
    let decoded = decoded.trim();
    decoded.starts_with(COMMENT_PREFIX).then(|| decoded.to_owned())
}

/// The id of a key as minisign prints it: the 8 bytes read as a
/// little-endian number, in upper-case hex.
fn key_id_hex(bytes: &[u8; 8]) -> String {
    format!("{:016X}", u64::from_le_bytes(*bytes))
}

/// The bytes of one base64 line of minisign data and the key id it names
/// (bytes 2..10, after the two-byte algorithm).
fn decode_line(line: &str, len: usize) -> Option<(Vec<u8>, String)> {
    let bytes = STANDARD.decode(line.trim()).ok()?;
    if bytes.len() != len {
        return None;
    }
    let id: [u8; 8] = bytes.get(2..10)?.try_into().ok()?;
    Some((bytes, key_id_hex(&id)))
}

/// A bare `RW…` public key line.
fn key_from_line(line: &str) -> Option<Key> {
    let (bytes, id) = decode_line(line, 42)?;
    if bytes.get(..2) != Some(b"Ed".as_slice()) {
        return None;
    }
    let key = minisign_verify::PublicKey::from_base64(line.trim()).ok()?;
    Some(Key { key, id })
}

/// `--pubkey`: a file in any of the three forms, or the key itself.
/// `Err(true)` when it is a secret key, `Err(false)` when unreadable.
fn load_key(arg: &str) -> Result<Key, bool> {
    let path = Path::new(arg);
    if !path.exists() {
        return key_from_line(arg).ok_or(false);
    }
    let raw = std::fs::read(path).map_err(|_| false)?;
    if let Some(text) = minisign_text(&raw) {
        let mut lines = text.lines();
        let comment = lines.next().unwrap_or_default();
        if comment.contains("secret key") {
            return Err(true);
        }
        return lines.next().and_then(key_from_line).ok_or(false);
    }
    std::str::from_utf8(&raw).ok().and_then(|s| key_from_line(s.trim())).ok_or(false)
}

/// A signature file in either form.
fn parse_signature(raw: &[u8]) -> Option<Sig> {
    let text = minisign_text(raw)?;
    let (_, key_id) = decode_line(text.lines().nth(1)?, 74)?;
    let sig = minisign_verify::Signature::decode(&text).ok()?;
    Some(Sig { sig, key_id })
}

enum VerifyError {
    Io,
    Mismatch,
}

/// Checks the data `r` yields against `sig` (whose key id matches `key`).
fn verify(key: &Key, sig: &Sig, r: &mut dyn Read) -> Result<(), VerifyError> {
    let mut buf = vec![0u8; 1 << 16];
    match key.key.verify_stream(&sig.sig) {
        Ok(mut stream) => {
            loop {
                match r.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => stream.update(buf.get(..n).unwrap_or_default()),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return Err(VerifyError::Io),
                }
            }
            stream.finalize().map_err(|_| VerifyError::Mismatch)
        }
        // A signature of the whole file (minisign's legacy format) needs
        // the whole file; minisign and Tauri's updater accept it too.
        Err(minisign_verify::Error::UnsupportedLegacyMode) => {
            let mut data = Vec::new();
            r.read_to_end(&mut data).map_err(|_| VerifyError::Io)?;
            key.key.verify(&data, &sig.sig, true).map_err(|_| VerifyError::Mismatch)
        }
        Err(_) => Err(VerifyError::Mismatch),
    }
}

/// Each file SHA256SUMS lists (`sha256sum` format: `HEX  NAME` or
/// `HEX *NAME`), checked when present in `folder`. `Err(line)` names the
/// first line (from 1) that is not in that format.
fn check_sums(folder: &Path, sums: &[u8]) -> Result<Vec<SumResult>, u64> {
    let text = std::str::from_utf8(sums).map_err(|_| 1u64)?;
    let mut results = Vec::new();
    for (no, line) in (1u64..).zip(text.lines()) {
        if line.trim().is_empty() {
            continue;
        }
        let (hex_digest, name) = parse_sum_line(line).ok_or(no)?;
        let status = check_one(folder, &name, &hex_digest);
        results.push(SumResult { name, status });
    }
    Ok(results)
}

/// One line: 64 hex digits, a space, a space or `*`, the name. A line
/// starting with `\` has `\\` and `\n` escaped in its name (GNU sha256sum).
fn parse_sum_line(line: &str) -> Option<(String, String)> {
    let (escaped, line) = match line.strip_prefix('\\') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let hex_digest = line.get(..64)?;
    if !hex_digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let rest = line.get(64..)?;
    let name = rest.strip_prefix("  ").or_else(|| rest.strip_prefix(" *"))?;
    if name.is_empty() {
        return None;
    }
    let name = if escaped { unescape(name)? } else { name.to_owned() };
    Some((hex_digest.to_ascii_lowercase(), name))
}

fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            _ => return None,
        }
    }
    Some(out)
}

fn check_one(folder: &Path, name: &str, expected: &str) -> SumStatus {
    let rel = Path::new(name);
    if rel.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
        return SumStatus::Outside;
    }
    let path = folder.join(rel);
    if !path.exists() {
        return SumStatus::Absent;
    }
    let Ok(mut f) = File::open(&path) else {
        return SumStatus::Unreadable;
    };
    let mut hasher = Sha256::new();
    if io::copy(&mut f, &mut hasher).is_err() {
        return SumStatus::Unreadable;
    }
    if hex::encode(hasher.finalize()) == expected { SumStatus::Ok } else { SumStatus::Differs }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_print_as_minisign_prints_them() {
        assert_eq!(key_id_hex(&[0x41, 0x4f, 0xee, 0x64, 0x5f, 0x2b, 0x4e, 0x3b]), "3B4E2B5F64EE4F41");
        assert_eq!(key_id_hex(&[1, 0, 0, 0, 0, 0, 0, 0]), "0000000000000001");
    }

    #[test]
    fn sum_lines_in_both_modes_and_escaped() {
        let h = "AB".repeat(32);
        assert_eq!(parse_sum_line(&format!("{h}  a.deb")), Some(("ab".repeat(32), "a.deb".to_owned())));
        assert_eq!(parse_sum_line(&format!("{h} *a b.deb")), Some(("ab".repeat(32), "a b.deb".to_owned())));
        assert_eq!(parse_sum_line(&format!("\\{h}  a\\nb\\\\c")), Some(("ab".repeat(32), "a\nb\\c".to_owned())));
        assert_eq!(parse_sum_line(&format!("{h} a.deb")), None);
        assert_eq!(parse_sum_line("zz  a.deb"), None);
    }

    #[test]
    fn names_outside_the_folder_are_not_checked() {
        let h = "0".repeat(64);
        assert_eq!(check_one(Path::new("."), "../etc/passwd", &h), SumStatus::Outside);
        assert_eq!(check_one(Path::new("."), "/etc/passwd", &h), SumStatus::Outside);
    }

    #[test]
    fn the_public_key_of_the_minisign_crate_docs_reads_bare_and_wrapped() {
        let line = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3";
        let bare = key_from_line(line).expect("bare key");
        let text = format!("untrusted comment: minisign public key {}\n{line}\n", bare.id);
        assert_eq!(minisign_text(text.as_bytes()).as_deref(), Some(text.trim()));
        assert_eq!(minisign_text(STANDARD.encode(&text).as_bytes()).as_deref(), Some(text.trim()));
        assert!(key_from_line("RWQnot-a-key").is_none());
    }
}
