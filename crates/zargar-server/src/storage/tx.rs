//! A transaction on one shop: the small set of reads and writes that the
//! push algorithm (`push.rs`) and the owner's writes (`shop.rs`) are made
//! of. Each backend implements it once; neither algorithm names a backend.
//!
//! The shop is fixed when the transaction opens (from the device's token or
//! the admin command's `--tenant`): no method takes a tenant, so no method
//! can reach another shop's rows.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_wire::{
    AccountMoveChange, Change, ConflictState, CustomerPayload, GoldPricePayload, ItemPayload, Op, OpResult,
    PersonPayload, ReturnPayload, SalePayload, ShiftPayload, TenantSettings,
};

use super::StorageError;

pub type TxResult<T> = Result<T, StorageError>;

/// Where a device's stream stands: what the server last accepted from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceHead {
    pub last_seq: u64,
    pub journal_index: u64,
    pub journal_hash: Option<String>,
    pub revoked: bool,
}

/// Which op of which till brought a row, and when the server took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub op_id: Uuid,
    pub device: Uuid,
    pub at: DateTime<Utc>,
    /// The person the op names, when the shop has people.
    pub by: Option<zargar_wire::PersonRef>,
}

/// A piece as the server holds it; `payload.status` is its status.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredItem {
    pub payload: ItemPayload,
    /// The sale that holds the piece, and the till that made it.
    pub sale_id: Option<Uuid>,
    pub sold_by: Option<Uuid>,
    /// The name of the till in `sold_by`.
    pub sold_by_name: Option<String>,
}

zargar_wire::coded! {
    /// Where a pushed sale stands on the server.
    pub enum SaleStatus {
        Applied = "applied",
        Conflict = "conflict",
        /// The owner accepted it over a conflict.
        Accepted = "accepted",
        Voided = "voided",
    }
}

impl SaleStatus {
    pub fn parse(s: &str) -> TxResult<SaleStatus> {
        super::codes::read_code(SaleStatus::from_code, s)
    }

    /// A sale that stands as made: its pieces are the customer's.
    pub fn completed(self) -> bool {
        matches!(self, SaleStatus::Applied | SaleStatus::Accepted)
    }
}

/// Whose price a stored price is: the shop's (`Server`: set on the server
/// or by the owner), which every till pulls and every sale is judged
/// against, or one till's own.
pub use zargar_wire::PriceOrigin;

/// One entry for the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord<'a> {
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: serde_json::Value,
}

/// The reads and writes of one transaction on one shop. A backend commits
/// or rolls back the whole transaction outside; an error from any method
/// means the caller gives up and the transaction is rolled back.
// Callers name the backend, so each backend's futures are as `Send` as it makes them.
#[allow(async_fn_in_trait)]
pub trait TenantTx {
    fn tenant(&self) -> Uuid;

    /// A hint before a batch is applied: a backend that pays a round trip
    /// per read may load at once what these ops will read. Every answer
    /// after it must be what reading then would have given.
    async fn prefetch(&mut self, _ops: &[&Op]) -> TxResult<()> {
        Ok(())
    }

    // ---- devices and their op streams

    /// The device's head, locked until the transaction ends, so that two
    /// pushes of one device (to two server processes) run one after the other.
    async fn device_head(&mut self, device: Uuid) -> TxResult<Option<DeviceHead>>;
    async fn set_device_head(&mut self, device: Uuid, head: &DeviceHead, now: DateTime<Utc>) -> TxResult<()>;
    /// The answers stored for those of `op_ids` this device sent before, by op id.
    async fn stored_results(&mut self, device: Uuid, op_ids: &[Uuid]) -> TxResult<HashMap<Uuid, OpResult>>;
    async fn record_result(&mut self, device: Uuid, op: &Op, result: &OpResult, now: DateTime<Utc>) -> TxResult<()>;

    // ---- the shop

    /// The shop's settings and their version.
    async fn settings(&mut self) -> TxResult<(TenantSettings, u64)>;
    async fn save_settings(&mut self, settings: &TenantSettings, version: u64) -> TxResult<()>;
    /// Appends a change for every till to pull.
    async fn log_change(&mut self, change: &Change) -> TxResult<()>;
    async fn audit(&mut self, entry: &AuditRecord<'_>) -> TxResult<()>;

    // ---- pieces

    async fn item(&mut self, id: Uuid) -> TxResult<Option<StoredItem>>;
    async fn item_by_tag(&mut self, tag: &str) -> TxResult<Option<StoredItem>>;
    /// Adds or replaces a piece (its status as given; the holding sale
    /// kept) and gives its new version.
    async fn write_item(&mut self, item: &ItemPayload, now: DateTime<Utc>) -> TxResult<u64>;
    /// Marks an in-stock piece sold by `sale` at `device`, in one conditional
    /// update: of two sales of one piece, the first to commit wins. The new
    /// version, or none when the piece was not in stock.
    async fn claim_item(&mut self, id: Uuid, sale: Uuid, device: Uuid, now: DateTime<Utc>) -> TxResult<Option<u64>>;
    /// Moves a piece to `status`, held by `(sale, device)` or by nothing; the new version.
    async fn set_item_status(
        &mut self,
        id: Uuid,
        status: zargar_wire::ItemStatus,
        held_by: Option<(Uuid, Uuid)>,
        now: DateTime<Utc>,
    ) -> TxResult<u64>;

    // ---- sales and returns

    async fn sale_exists(&mut self, id: Uuid) -> TxResult<bool>;
    async fn sale(&mut self, id: Uuid) -> TxResult<Option<(SalePayload, SaleStatus)>>;
    /// Stores a sale with its lines, pushed by `op_id` from `device`.
    async fn insert_sale(&mut self, sale: &SalePayload, status: SaleStatus, from: Receipt) -> TxResult<()>;
    /// Keeps a closed shift; false when the till's shift or its Z number
    /// is already on record.
    async fn insert_shift(&mut self, shift: &ShiftPayload, from: Receipt) -> TxResult<bool>;
    async fn delete_sale(&mut self, id: Uuid) -> TxResult<()>;
    async fn set_sale_status(&mut self, id: Uuid, status: SaleStatus) -> TxResult<()>;
    async fn insert_return(&mut self, ret: &ReturnPayload, from: Receipt) -> TxResult<()>;

    // ---- customers

    async fn customer_version(&mut self, id: Uuid) -> TxResult<Option<u64>>;
    /// Another customer with the same national id or mobile.
    async fn customer_sharing_ids(&mut self, customer: &CustomerPayload) -> TxResult<Option<Uuid>>;
    async fn write_customer(&mut self, customer: &CustomerPayload, version: u64, now: DateTime<Utc>) -> TxResult<()>;

    // ---- customers' accounts

    /// A customer's credit limit in Rials; none when the shop has no such customer.
    async fn customer_credit_limit(&mut self, id: Uuid) -> TxResult<Option<Decimal>>;
    /// A movement by id, as stored with its status and till.
    async fn account_move(&mut self, id: Uuid) -> TxResult<Option<AccountMoveChange>>;
    /// Adds a movement carried by `op_id`, or replaces the one with its id
    /// (its status moved, or a sale sent again edited), keeping the op and
    /// the time first stored.
    async fn put_account_move(&mut self, m: &AccountMoveChange, op_id: Uuid, at: DateTime<Utc>) -> TxResult<()>;
    /// The sum of a customer's applied and accepted movements: Rials and milligrams.
    async fn account_balance(&mut self, customer: Uuid) -> TxResult<(Decimal, i64)>;
    /// Counted movements of other devices that took from the account since `since`.
    async fn account_spends(
        &mut self,
        customer: Uuid,
        since: DateTime<Utc>,
        except: Uuid,
    ) -> TxResult<Vec<AccountMoveChange>>;

    /// An installment plan by id.
    async fn installment_plan(&mut self, id: Uuid) -> TxResult<Option<zargar_wire::InstallmentPlanPayload>>;
    /// Keeps a plan once; false when its id is already on record.
    async fn insert_installment_plan(
        &mut self,
        plan: &zargar_wire::InstallmentPlanPayload,
        op_id: Uuid,
        at: DateTime<Utc>,
    ) -> TxResult<bool>;
    /// A layaway by id, as last stored.
    async fn layaway(&mut self, id: Uuid) -> TxResult<Option<zargar_wire::LayawayPayload>>;
    async fn put_layaway(&mut self, l: &zargar_wire::LayawayPayload, op_id: Uuid, at: DateTime<Utc>) -> TxResult<()>;
    /// Marks an in-stock piece reserved by `layaway` at `device`, in one
    /// conditional update (as `claim_item`); the new version, or none.
    async fn reserve_item(
        &mut self,
        id: Uuid,
        layaway: Uuid,
        device: Uuid,
        now: DateTime<Utc>,
    ) -> TxResult<Option<u64>>;

    // ---- people

    /// A person of the shop, and their version.
    async fn person(&mut self, id: Uuid) -> TxResult<Option<(PersonPayload, u64)>>;
    /// Whether anyone is on record for the shop yet.
    async fn has_people(&mut self) -> TxResult<bool>;
    /// How many active owners the shop has besides `except`.
    async fn other_active_owners(&mut self, except: Uuid) -> TxResult<u64>;
    async fn write_person(&mut self, person: &PersonPayload, version: u64, now: DateTime<Utc>) -> TxResult<()>;

    // ---- gold prices

    /// Stores a price once (by id); false when it was already there.
    async fn insert_price(
        &mut self,
        price: &GoldPricePayload,
        origin: PriceOrigin,
        device: Option<Uuid>,
    ) -> TxResult<bool>;
    /// The shop's price in force at `at`: the newest shop price set at or before it.
    async fn shop_price_at(&mut self, at: DateTime<Utc>) -> TxResult<Option<GoldPricePayload>>;
    /// One of the shop's prices by id (none when the id names a till's own price).
    async fn shop_price(&mut self, id: Uuid) -> TxResult<Option<GoldPricePayload>>;
    /// When the shop's price set at `set_at` was replaced, if it was.
    async fn shop_price_replaced(&mut self, set_at: DateTime<Utc>) -> TxResult<Option<DateTime<Utc>>>;

    // ---- conflicts

    /// The conflict an op was parked with, and the op as parked.
    async fn conflict_of_op(&mut self, op_id: Uuid) -> TxResult<Option<(ConflictState, Op)>>;
    async fn insert_conflict(&mut self, state: &ConflictState, op: &Op) -> TxResult<()>;
    /// Saves a conflict's new state and gives its new version.
    async fn update_conflict(&mut self, state: &ConflictState, op: &Op) -> TxResult<u64>;

    // ---- all or nothing inside the transaction

    // ---- legal invoices (`tax.rs`)

    async fn customer(&mut self, id: Uuid) -> TxResult<Option<CustomerPayload>>;
    async fn tax_identity(&mut self) -> TxResult<Option<super::tax::StoredTaxIdentity>>;
    async fn put_tax_identity(&mut self, identity: &super::tax::StoredTaxIdentity, now: DateTime<Utc>) -> TxResult<()>;
    /// The next serial under `memory_id`, from 1, with no gap: counted in
    /// this transaction, so a rolled-back one takes none.
    async fn next_tax_serial(&mut self, memory_id: &str) -> TxResult<u64>;
    /// The newest invoice of `subject` about `id` (the sale's id; a return's own).
    async fn latest_tax_invoice(
        &mut self,
        subject: zargar_wire::TaxSubject,
        id: Uuid,
    ) -> TxResult<Option<super::tax::TaxInvoiceRow>>;
    async fn tax_invoice(&mut self, tax_id: &str) -> TxResult<Option<super::tax::TaxInvoiceRow>>;
    /// Adds or replaces an invoice; gives its new version.
    async fn put_tax_invoice(&mut self, row: &super::tax::TaxInvoiceRow) -> TxResult<u64>;
    /// Queued or sent invoices whose time has come, by serial.
    async fn due_tax_invoices(&mut self, now: DateTime<Utc>, limit: u32) -> TxResult<Vec<super::tax::TaxInvoiceRow>>;
    /// The newest invoices first.
    async fn tax_invoices(&mut self, limit: u32) -> TxResult<Vec<super::tax::TaxInvoiceRow>>;

    async fn savepoint(&mut self, name: &'static str) -> TxResult<()>;
    async fn rollback_to(&mut self, name: &'static str) -> TxResult<()>;
    async fn release(&mut self, name: &'static str) -> TxResult<()>;
}
