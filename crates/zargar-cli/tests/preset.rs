//! `zargar preset FILE`: IT checks a fleet preset before rolling it out.

use std::process::Command;

fn zargar(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zargar")).args(["--lang", "en"]).args(args).output().expect("run zargar")
}

#[test]
fn a_valid_preset_shows_what_a_new_till_takes() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("pos.toml");
    std::fs::write(&file, "server_url = \"https://sync.example.ir\"\nlanguage = \"fa\"\ntill_name = \"صندوق ۳\"\n")
        .expect("write");
    let out = zargar(&["--json", "preset", file.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["preset"]["server_url"], "https://sync.example.ir");
    assert_eq!(v["preset"]["language"], "fa");
    assert_eq!(v["preset"]["till_name"], "صندوق ۳");
    assert_eq!(v["preset"]["update_endpoint"], serde_json::Value::Null);
}

#[test]
fn a_malformed_preset_is_refused_naming_its_line() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("pos.toml");
    std::fs::write(&file, "language = \"fa\"\n\ndisplay_unit = \"dollar\"\n").expect("write");
    let out = zargar(&["preset", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("line 3") && said.contains("display_unit"), "{said}");
}
