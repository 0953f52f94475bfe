//! `zargar-server`: the tenant sync server of Zargar POS.
//!
//! Many shops (tenants), many tills each. A till enrols with a single-use
//! code and then pushes its outbox and pulls the shop's inventory, prices,
//! customers, settings and conflicts (see `docs/sync.md`). The tenant of
//! every request comes from its device token and from nowhere else.

pub mod api;
pub mod auth;
pub mod checks;
pub mod feed;
pub mod hooks;
pub mod limit;
pub mod live;
pub mod metrics;
pub mod reports;
pub mod retention;
pub mod storage;
pub mod tax;

pub use api::{AppState, router};
pub use storage::sqlite::SqliteStorage;
pub use storage::{Storage, StorageError};
