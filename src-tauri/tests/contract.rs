//! The IPC contract cannot drift: the TypeScript types are what the Rust
//! types generate, and every command is declared, allowed and called under
//! one name. Run with `ZARGAR_BLESS=1` to rewrite the bindings after a
//! deliberate change.

use std::collections::BTreeSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn bindings_match_the_rust_types() {
    let generated = zargar_pos::ipc::bindings();
    let path = root().join("ui/src/lib/bindings.ts");
    if std::env::var_os("ZARGAR_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write bindings");
    }
    let committed = std::fs::read_to_string(&path).expect("ui/src/lib/bindings.ts");
    assert!(
        committed == generated,
        "ui/src/lib/bindings.ts is out of date with src-tauri/src/ipc.rs; \
         run `ZARGAR_BLESS=1 cargo test -p zargar-pos --test contract` and check the UI still compiles"
    );
}

/// The quoted names in a list that follows `marker` up to the closing `]`.
fn quoted_after(text: &str, marker: &str) -> BTreeSet<String> {
    let start = text.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &text[start..];
    let body = &rest[..rest.find("];").expect("end of list")];
    body.split('"').skip(1).step_by(2).map(str::to_owned).collect()
}

#[test]
fn every_command_is_declared_allowed_registered_and_called_by_one_name() {
    let commands: BTreeSet<String> = zargar_pos::commands::COMMANDS.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(commands.len(), zargar_pos::commands::COMMANDS.len(), "a command is listed twice");

    let declared = quoted_after(&read("src-tauri/src/command_names.rs"), "const COMMANDS");
    assert_eq!(declared, commands, "command_names.rs lists other commands");
    assert!(
        read("src-tauri/build.rs").contains("include!(\"src/command_names.rs\")"),
        "build.rs declares the shared list"
    );

    let lib = read("src-tauri/src/lib.rs");
    let handler = &lib[lib.find("generate_handler![").expect("handler")..];
    let handler = &handler[..handler.find(']').expect("end")];
    let registered: BTreeSet<String> = handler
        .split("commands::")
        .skip(1)
        .map(|s| s.split(',').next().unwrap_or_default().trim().to_owned())
        .collect();
    assert_eq!(registered, commands, "lib.rs registers other commands");

    let cap: serde_json::Value =
        serde_json::from_str(&read("src-tauri/capabilities/main.json")).expect("capability json");
    let permissions: BTreeSet<String> = cap["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| p.as_str().expect("a permission by name").to_owned())
        .collect();
    let allowed: BTreeSet<String> =
        permissions.iter().filter_map(|p| p.strip_prefix("allow-")).map(|c| c.replace('-', "_")).collect();
    assert_eq!(allowed, commands, "the capability allows other commands");
    // Least privilege: besides our commands, only listening to events.
    let others: BTreeSet<&str> = permissions.iter().filter(|p| !p.starts_with("allow-")).map(String::as_str).collect();
    assert_eq!(others, BTreeSet::from(["core:event:allow-listen", "core:event:allow-unlisten"]));

    let api = read("ui/src/lib/api.ts");
    let called: BTreeSet<String> =
        api.split("invoke<").skip(1).filter_map(|s| s.split('"').nth(1)).map(str::to_owned).collect();
    assert_eq!(called, commands, "ui/src/lib/api.ts calls other commands");
}

#[test]
fn the_window_runs_under_a_strict_csp() {
    let conf: serde_json::Value = serde_json::from_str(&read("src-tauri/tauri.conf.json")).expect("tauri.conf.json");
    let csp = &conf["app"]["security"]["csp"];
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["script-src"], "'self'", "no inline or remote scripts");
    assert_eq!(csp["object-src"], "'none'");
    // The only origin besides the app's own is Tauri's IPC endpoint.
    let text = csp.to_string().replace("http://ipc.localhost", "");
    assert!(!text.contains("unsafe-eval") && !text.contains("unsafe-inline") && !text.contains("http"), "{text}");
    assert_eq!(conf["app"]["withGlobalTauri"], false, "the page reaches Tauri only through the bundled api");
}
