//! The shop's legal invoices as the server tells them: the seller's legal
//! block (from the settings) and where each Moadian invoice stands.

use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;
use zargar_wire::{LegalIdentity, TaxInvoiceState, TaxStatus, TaxSubject};

use super::sync::{from_json, to_json};
use super::{Store, StoreError};
use crate::invoice::{BuyerBlock, LegalBlocks};
use crate::sale::Sale;

/// The settings key the seller's block is kept under.
pub(in crate::store) const LEGAL_KEY: &str = "legal";

/// Stores a pulled state; an older one never replaces a newer.
pub(in crate::store) fn apply_pulled(tx: &Transaction<'_>, s: &TaxInvoiceState) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO tax_invoices (id, sale_id, subject, serial, status, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data",
    )?
    .execute(params![
        s.invoice_id.to_string(),
        s.sale_id.to_string(),
        s.subject.code(),
        s.serial as i64,
        s.status.code(),
        to_json(s)?
    ])?;
    Ok(())
}

impl Store {
    /// The seller's block of the shop's invoices, once the owner set it on the server.
    pub fn legal_identity(&self) -> Result<Option<LegalIdentity>, StoreError> {
        let v: Option<String> =
            self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [LEGAL_KEY], |r| r.get(0)).optional()?;
        match v.as_deref() {
            None | Some("") | Some("null") => Ok(None),
            Some(json) => from_json(json, "legal identity"),
        }
    }

    /// The tax id of the sale's invoice, once the tax organisation accepted it.
    pub fn sale_tax_id(&self, sale: Uuid) -> Result<Option<String>, StoreError> {
        let v: Option<String> = self
            .conn
            .query_row(
                "SELECT data FROM tax_invoices WHERE sale_id = ?1 AND subject = ?2 AND status = ?3
                 ORDER BY serial DESC LIMIT 1",
                params![sale.to_string(), TaxSubject::Sale.code(), TaxStatus::Accepted.code()],
                |r| r.get(0),
            )
            .optional()?;
        v.map(|json| from_json::<TaxInvoiceState>(&json, "tax invoice").map(|s| s.tax_id)).transpose()
    }

    /// The seller's and buyer's blocks of a sale's invoice, and its tax id.
    pub fn legal_blocks(&self, sale: &Sale) -> Result<LegalBlocks, StoreError> {
        let buyer = match &sale.customer {
            Some(c) => self.find_customer(&c.id.to_string())?.map(|c| BuyerBlock {
                name: c.name,
                national_id: c.national_id.map(|n| n.as_str().to_owned()),
                economic_code: c.economic_code,
                postal_code: c.postal_code,
            }),
            None => None,
        };
        Ok(LegalBlocks { seller: self.legal_identity()?, buyer, tax_id: self.sale_tax_id(sale.id)? })
    }

    /// The shop's invoices, the rejected first, then the newest.
    pub fn tax_invoices(&self, limit: u32) -> Result<Vec<TaxInvoiceState>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT data FROM tax_invoices ORDER BY status = 'rejected' DESC, serial DESC LIMIT ?1")?;
        let rows = stmt.query_map([limit], |r| r.get::<_, String>(0))?;
        rows.map(|json| from_json(&json?, "tax invoice")).collect()
    }
}
