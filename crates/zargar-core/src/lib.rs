//! Zargar POS till core: the domain of a gold and jewelry shop, its pricing
//! rules, the crash-safe SQLite store with its outbox and tamper-evident
//! journal, and the Persian/English messages. No network, no UI: the
//! desktop app (`zargar-pos`) and the headless till (`zargar`) are thin
//! shells over this crate.

pub mod account;
pub mod account_statement;
pub mod customer;
pub mod display_unit;
pub mod error;
pub mod export;
pub mod gold_price;
pub mod i18n;
pub mod installments;
pub mod invoice;
pub mod item;
pub mod journal;
pub mod label;
pub mod message_id;
pub mod owner;
pub mod persian;
pub mod preset;
pub mod print;
pub mod refund;
pub mod sale;
pub mod shift_report;
pub mod store;
pub mod sync;
pub mod typed;

pub use error::{Field, PricingError, StoreError, ValidationError};
pub use i18n::Lang;
pub use store::Store;
pub use typed::ParseInput;
/// Money, measures, karat names and pricing: the rules the server shares.
pub use zargar_rules as rules;
/// The sync contract's types, for shells that show conflicts and resolutions.
pub use zargar_wire as wire;
