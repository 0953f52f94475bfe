// The app's commands are declared here, so each must be allowed by name in
// capabilities/ (least privilege). The list is shared with src/commands.rs.
include!("src/command_names.rs");

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build");
}
