// Every command, by name: `build.rs` declares them (so each must be allowed
// in capabilities/ by name) and `commands.rs` exports the same list; one file
// included by both, so the two cannot differ.
pub const COMMANDS: &[&str] = &[
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
