// The app's commands are declared here so each must be allowed by name in
// capabilities/ (least privilege); src/commands.rs has the same list and a
// test checks the two agree.
const COMMANDS: &[&str] = &[
    "app_info",
    "find_item",
    "list_items",
    "quote_sale",
    "record_sale",
    "sale_by_invoice",
    "sales_day",
    "export_sales_csv",
    "search_customers",
    "add_customer",
    "gold_prices",
    "set_gold_price",
    "sync_status",
    "sync_now",
    "conflicts",
    "resolve_conflict",
    "set_owner_pin",
    "unlock_owner",
    "lock_owner",
    "settings",
    "set_setting",
    "set_language",
    "enroll",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build");
}
