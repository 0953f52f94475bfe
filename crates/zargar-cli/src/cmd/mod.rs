//! One file per subcommand of `zargar`, each owning its arguments.

pub(crate) mod account;
pub(crate) mod backup;
pub(crate) mod cleanup;
pub(crate) mod customer;
pub(crate) mod export;
pub(crate) mod init;
pub(crate) mod invoice;
pub(crate) mod item;
pub(crate) mod label;
pub(crate) mod owner;
pub(crate) mod people;
pub(crate) mod piece;
pub(crate) mod preset;
pub(crate) mod price;
pub(crate) mod printer;
pub(crate) mod quote;
pub(crate) mod report;
pub(crate) mod returns;
pub(crate) mod sales;
pub(crate) mod sell;
pub(crate) mod settings;
pub(crate) mod shift;
pub(crate) mod status;
pub(crate) mod sync;
pub(crate) mod verify_bundle;
pub(crate) mod verify_journal;
