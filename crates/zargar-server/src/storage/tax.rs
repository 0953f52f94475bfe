//! The shop's Moadian invoices, written once against `TenantTx`: each sale
//! the server takes (applied, or parked for the owner: it happened at the
//! counter) is numbered under the shop's memory id in the same transaction,
//! so serials are gapless and a rolled-back push numbers nothing; a return
//! names its sale's invoice; a sale the owner voids is cancelled. The queue
//! (`crate::tax::queue`) sends them; every change of state goes to the
//! tills, which print the tax id and show the owner what was rejected.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zargar_rules::tax_id::{MemoryId, TaxId};
use zargar_wire::{Change, ChangeData, ChangeOp, ReturnPayload, SalePayload, TaxInvoiceState, TaxStatus, TaxSubject};

use super::StorageError;
use super::tx::{AuditRecord, TenantTx, TxResult};
use crate::tax::invoice::{self, Draft, GoodsCodes};

/// The shop's tax identity as stored: the private key sealed
/// (`crate::tax::secret`), never in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTaxIdentity {
    pub legal: zargar_wire::LegalIdentity,
    pub memory_id: String,
    pub codes: GoodsCodes,
    pub cert_pem: String,
    pub sealed_key: String,
}

/// An invoice with what the queue keeps beside its state: the JSON that is
/// signed (built once, so a resend is the same invoice), the packet's trace
/// id once it was first sent, the service's reference, and when to act next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaxInvoiceRow {
    pub state: TaxInvoiceState,
    pub body: String,
    pub memory_id: String,
    /// Set before the first send, and kept: a send whose answer was lost
    /// is asked after by it before anything is sent again.
    pub uid: Option<Uuid>,
    pub reference: Option<String>,
    pub next_at: DateTime<Utc>,
}

impl TaxInvoiceRow {
    /// The sale (or return) it is about, as the subject index keys it.
    pub fn subject_id(&self) -> Uuid {
        self.state.return_id.unwrap_or(self.state.sale_id)
    }
}

/// Sets the shop's identity; its legal block goes into the settings, so
/// every till prints it. Audited without the key.
pub async fn set_identity<T: TenantTx>(tx: &mut T, identity: &StoredTaxIdentity, now: DateTime<Utc>) -> TxResult<()> {
    tx.put_tax_identity(identity, now).await?;
    let (mut settings, version) = tx.settings().await?;
    settings.legal = Some(identity.legal.clone());
    tx.save_settings(&settings, version + 1).await?;
    tx.log_change(&Change {
        id: tx.tenant(),
        version: version + 1,
        op: ChangeOp::Upsert,
        data: ChangeData::Settings(settings),
    })
    .await?;
    let detail = serde_json::json!({
        "name": identity.legal.name, "economic_code": identity.legal.economic_code,
        "memory_id": identity.memory_id, "codes": identity.codes,
    });
    tx.audit(&AuditRecord { at: now, actor: "admin", action: "tax.identity", subject: &identity.memory_id, detail })
        .await
}

/// Stores a row and, when `tell`, tells every till where it stands.
pub async fn save<T: TenantTx>(tx: &mut T, row: &TaxInvoiceRow, tell: bool) -> TxResult<()> {
    let version = tx.put_tax_invoice(row).await?;
    if tell {
        tx.log_change(&Change {
            id: row.state.invoice_id,
            version,
            op: ChangeOp::Upsert,
            data: ChangeData::TaxInvoice(Box::new(row.state.clone())),
        })
        .await?;
    }
    Ok(())
}

/// The identity when the shop sends invoices. A shop with no legal block
/// in its settings has none: its pushes pay nothing for this.
async fn identity<T: TenantTx>(tx: &mut T, legal_set: bool) -> TxResult<Option<(StoredTaxIdentity, MemoryId)>> {
    if !legal_set {
        return Ok(None);
    }
    let Some(id) = tx.tax_identity().await? else { return Ok(None) };
    let memory = MemoryId::parse(&id.memory_id).map_err(|e| StorageError::stored(format!("memory id: {e}")))?;
    Ok(Some((id, memory)))
}

/// The sale's invoice in force: its newest, unless a cancellation came after it.
async fn sale_invoice<T: TenantTx>(tx: &mut T, sale: Uuid) -> TxResult<Option<TaxInvoiceRow>> {
    let Some(original) = tx.latest_tax_invoice(TaxSubject::Sale, sale).await? else { return Ok(None) };
    let cancelled = tx
        .latest_tax_invoice(TaxSubject::Cancellation, sale)
        .await?
        .is_some_and(|c| c.state.serial > original.state.serial);
    Ok((!cancelled).then_some(original))
}

struct Issue<'a> {
    subject: TaxSubject,
    sale: &'a SalePayload,
    return_id: Option<Uuid>,
    issued_at: DateTime<Utc>,
    original: Option<&'a TaxInvoiceRow>,
    item_ids: Option<&'a [Uuid]>,
}

/// Numbers, builds and queues one invoice.
async fn issue<T: TenantTx>(
    tx: &mut T,
    (id, memory): &(StoredTaxIdentity, MemoryId),
    i: Issue<'_>,
    now: DateTime<Utc>,
) -> TxResult<()> {
    let serial = tx.next_tax_serial(memory.as_str()).await?;
    let tax_id = TaxId::new(memory, i.issued_at, serial).map_err(|e| StorageError::stored(format!("tax id: {e}")))?;
    let buyer = match i.sale.customer_id {
        Some(c) => tx.customer(c).await?,
        None => None,
    };
    let lines = i.sale.lines.iter().filter(|l| i.item_ids.is_none_or(|ids| ids.contains(&l.item_id))).collect();
    let body = invoice::build(&Draft {
        tax_id: &tax_id,
        issued_at: i.issued_at,
        subject: i.subject,
        original: i.original.map(|o| o.state.tax_id.as_str()),
        seller: &id.legal,
        buyer: buyer.as_ref(),
        codes: &id.codes,
        lines,
        on_account: invoice::on_account(i.sale),
    });
    let state = TaxInvoiceState {
        invoice_id: Uuid::now_v7(),
        subject: i.subject,
        sale_id: i.sale.sale_id,
        return_id: i.return_id,
        tax_id: tax_id.to_string(),
        serial,
        issued_at: i.issued_at,
        status: TaxStatus::Queued,
        original_tax_id: i.original.map(|o| o.state.tax_id.clone()),
        messages: Vec::new(),
        attempts: 0,
        updated_at: now,
    };
    let row = TaxInvoiceRow {
        state,
        body: serde_json::to_string(&body)?,
        memory_id: memory.to_string(),
        uid: None,
        reference: None,
        next_at: now,
    };
    save(tx, &row, true).await
}

/// A sale the server took: its invoice, once.
pub async fn sale_taken<T: TenantTx>(
    tx: &mut T,
    legal_set: bool,
    sale: &SalePayload,
    now: DateTime<Utc>,
) -> TxResult<()> {
    let Some(id) = identity(tx, legal_set).await? else { return Ok(()) };
    if sale_invoice(tx, sale.sale_id).await?.is_some() {
        return Ok(());
    }
    let i = Issue {
        subject: TaxSubject::Sale,
        sale,
        return_id: None,
        issued_at: sale.sold_at,
        original: None,
        item_ids: None,
    };
    issue(tx, &id, i, now).await
}

/// A return of pieces of `sale`: a sales-return invoice naming the sale's.
pub async fn return_taken<T: TenantTx>(
    tx: &mut T,
    legal_set: bool,
    sale: &SalePayload,
    ret: &ReturnPayload,
    now: DateTime<Utc>,
) -> TxResult<()> {
    let Some(id) = identity(tx, legal_set).await? else { return Ok(()) };
    let Some(original) = sale_invoice(tx, sale.sale_id).await? else { return Ok(()) };
    if tx.latest_tax_invoice(TaxSubject::Return, ret.return_id).await?.is_some() {
        return Ok(());
    }
    let i = Issue {
        subject: TaxSubject::Return,
        sale,
        return_id: Some(ret.return_id),
        issued_at: ret.returned_at,
        original: Some(&original),
        item_ids: Some(&ret.item_ids),
    };
    issue(tx, &id, i, now).await
}

/// The owner voided (or replaced) the sale: its invoice is cancelled.
pub async fn sale_voided<T: TenantTx>(
    tx: &mut T,
    legal_set: bool,
    sale: &SalePayload,
    now: DateTime<Utc>,
) -> TxResult<()> {
    let Some(id) = identity(tx, legal_set).await? else { return Ok(()) };
    let Some(original) = sale_invoice(tx, sale.sale_id).await? else { return Ok(()) };
    let i = Issue {
        subject: TaxSubject::Cancellation,
        sale,
        return_id: None,
        issued_at: now,
        original: Some(&original),
        item_ids: None,
    };
    issue(tx, &id, i, now).await
}
