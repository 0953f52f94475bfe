//! The till the store's integration tests start from: a real SQLite file
//! with its device set up, a gold price, and a few pieces in stock.

#![allow(dead_code)]

use std::path::Path;

use chrono::{DateTime, Utc};
use zargar_core::Store;
use zargar_core::gold_price::PriceEntry;
use zargar_core::item::NewItemInput;
use zargar_core::rules::money::Rial;

/// A piece of 18k gold (purity 750) with a 15% wage.
pub fn ring(tag: &str, name: &str, weight: &str) -> NewItemInput {
    NewItemInput {
        tag: tag.into(),
        name: name.into(),
        weight: weight.into(),
        purity: "750".into(),
        wage_percent: Some("15".into()),
        ..NewItemInput::default()
    }
}

/// The till "صندوق ۱" in `path`, set up at `now` with a price of
/// 80,000,000 Rial a gram of 18k and `stock` added.
pub fn stocked_till(path: &Path, now: DateTime<Utc>, stock: &[NewItemInput]) -> Store {
    let mut store = Store::open(path).expect("open");
    store.init_device("صندوق ۱", now).expect("init");
    store.set_gold_price(PriceEntry::PerGram18k(Rial::from_i64(80_000_000)), now).expect("price");
    for input in stock {
        store.add_item(&input.parse().expect("item"), now).expect("add");
    }
    store
}
