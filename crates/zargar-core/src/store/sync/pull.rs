//! A pull page applied: the shop's changes (items, customers, prices,
//! settings, conflicts) and the new cursor. A change to something this till
//! still has unsent is deferred until that is answered.

use std::collections::HashSet;

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use uuid::Uuid;
use zargar_wire::{
    Change, ChangeData, ChangeOp, ConflictState, CustomerPayload, GoldPricePayload, ItemPayload, PullResponse,
    TenantSettings,
};

use super::conflicts::close_conflict;
use super::{corrupt, from_json, to_json};
use crate::error::StoreError;
use crate::item::{Item, ItemStatus, NewItem};
use crate::persian;
use crate::store::catalog::{item_search_key, write_item_row, write_item_state};
use crate::store::people::upsert_pulled_person;
use crate::store::{Store, parse_uuid, rial_sql, ts};
use zargar_rules::measure::Purity;
use zargar_rules::measure::Weight;
use zargar_rules::money::Rial;
use zargar_rules::pricing::WageRate;

/// What one pull page changed on the till.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PullApplied {
    pub changes: u64,
    /// Changes held back because the row has an unanswered local op.
    pub deferred: u64,
}

/// The rows with a local change the server has not answered: a piece this
/// till sold (or holds for a conflicted sale), or a row with a pending op.
/// Read once for a page of changes (two lookups per change were a tenth of
/// a till's time pulling a busy shop); applying a pulled change never adds
/// to it, since a pulled piece is never left pending.
pub(super) struct Held(HashSet<Uuid>);

impl Held {
    pub(super) fn read(tx: &Connection) -> Result<Held, StoreError> {
        let mut stmt = tx.prepare_cached(
            "SELECT entity_id FROM outbox WHERE state = 'pending'
             UNION SELECT id FROM items WHERE status = 'sold_pending'",
        )?;
        let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
        ids.map(|id| parse_uuid(&id?)).collect::<Result<_, _>>().map(Held)
    }

    fn holds(&self, id: Uuid) -> bool {
        self.0.contains(&id)
    }
}

pub(super) fn entity_of(data: &ChangeData) -> &'static str {
    match data {
        ChangeData::Item(_) => "item",
        ChangeData::GoldPrice(_) => "gold_price",
        ChangeData::Customer(_) => "customer",
        ChangeData::Settings(_) => "settings",
        ChangeData::Conflict(_) => "conflict",
        ChangeData::Person(_) => "person",
        ChangeData::AccountMove(_) => "account_move",
        ChangeData::InstallmentPlan(_) => "installment_plan",
        ChangeData::Layaway(_) => "layaway",
        ChangeData::TaxInvoice(_) => "tax_invoice",
    }
}

pub(super) fn defer(tx: &Transaction<'_>, change: &Change) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO pull_deferred (entity, id, version, data) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (entity, id) DO UPDATE SET version = excluded.version, data = excluded.data
         WHERE excluded.version >= pull_deferred.version",
    )?
    .execute(params![entity_of(&change.data), change.id.to_string(), change.version as i64, to_json(change)?])?;
    Ok(())
}

/// Retries held-back changes whose rows are free now.
pub(super) fn apply_deferred(tx: &Transaction<'_>) -> Result<(), StoreError> {
    let me = parse_uuid(&tx.query_row("SELECT device_id FROM device", [], |r| r.get::<_, String>(0))?)?;
    let waiting: Vec<(String, String, String)> = {
        let mut stmt = tx.prepare_cached("SELECT entity, id, data FROM pull_deferred")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    if waiting.is_empty() {
        return Ok(());
    }
    let held = Held::read(tx)?;
    for (entity, id, data) in waiting {
        let change: Change = from_json(&data, "deferred change")?;
        if apply_change(tx, me, &held, &change)? {
            tx.execute("DELETE FROM pull_deferred WHERE entity = ?1 AND id = ?2", params![entity, id])?;
        }
    }
    Ok(())
}

/// Applies one pulled change; false when it must wait.
pub(super) fn apply_change(tx: &Transaction<'_>, me: Uuid, held: &Held, change: &Change) -> Result<bool, StoreError> {
    match &change.data {
        ChangeData::Item(item) => {
            if held.holds(change.id) {
                return Ok(false);
            }
            upsert_item(tx, change.version, change.op, item)
        }
        ChangeData::Customer(c) => {
            if held.holds(change.id) {
                return Ok(false);
            }
            upsert_customer(tx, change.version, c)
        }
        ChangeData::GoldPrice(p) => {
            insert_price(tx, p)?;
            Ok(true)
        }
        ChangeData::Settings(s) => {
            save_settings(tx, s)?;
            Ok(true)
        }
        ChangeData::Conflict(state) => {
            upsert_conflict(tx, me, state)?;
            Ok(true)
        }
        ChangeData::Person(p) => {
            if held.holds(change.id) {
                return Ok(false);
            }
            upsert_pulled_person(tx, change.version, p)?;
            Ok(true)
        }
        ChangeData::AccountMove(m) => {
            crate::store::accounts::apply_pulled(tx, me, m)?;
            Ok(true)
        }
        ChangeData::InstallmentPlan(p) => {
            crate::store::plans::insert_plan(tx, p, None)?;
            Ok(true)
        }
        ChangeData::Layaway(l) => {
            crate::store::plans::put_layaway(tx, l, None)?;
            Ok(true)
        }
        ChangeData::TaxInvoice(t) => {
            crate::store::tax::apply_pulled(tx, t)?;
            Ok(true)
        }
    }
}

pub(super) fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation)
}

pub(super) fn upsert_item(
    tx: &Transaction<'_>,
    version: u64,
    op: ChangeOp,
    p: &ItemPayload,
) -> Result<bool, StoreError> {
    let bad = |what: &str| corrupt(format!("pulled item {}: {what}", p.tag));
    // The server does not delete pieces it has sold; a removed piece leaves
    // the shelf here as "in repair" would, by status, so old invoices keep it.
    // Sold elsewhere is sold here: pending is only for this till's own sales.
    let status = match (op, p.status) {
        (ChangeOp::Delete, _) => ItemStatus::Repair,
        (_, ItemStatus::Sold | ItemStatus::SoldPending) => ItemStatus::Sold,
        (_, status) => status,
    };
    let new = NewItem {
        tag: p.tag.clone(),
        barcode: p.barcode.clone(),
        name: p.name.clone(),
        category: p.category.clone(),
        weight: Weight::grams(p.weight).ok_or_else(|| bad("weight"))?,
        purity: Purity::per_mille(p.purity).ok_or_else(|| bad("purity"))?,
        wage: WageRate::from_wire(p.wage_rate).ok_or_else(|| bad("wage"))?,
        stones: Rial::whole(p.stones).ok_or_else(|| bad("stones"))?,
    };
    let sold_by = p.sold_by.clone().filter(|_| status == ItemStatus::Sold);
    let item = Item { sold_by, ..new.to_item(p.item_id, status, 1, Utc::now()) };
    if write_item_state(tx, &item, version)? {
        return Ok(true);
    }
    let known: Option<(Option<i64>, i64)> = tx
        .prepare_cached("SELECT server_version, version FROM items WHERE id = ?1")?
        .query_row([p.item_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if known.is_some_and(|(server, _)| server.is_some_and(|v| v >= version as i64)) {
        return Ok(true);
    }
    // This till's own count of the piece's versions goes on.
    let item = Item { version: known.map_or(1, |(_, local)| local as u64 + 1), ..item };
    let written = write_item_row(tx, &item, &item_search_key(&new), Some(version));
    match written {
        Ok(_) => Ok(true),
        // Another local piece holds the tag or barcode (tagged here, its
        // conflict not settled yet): wait rather than lose either.
        Err(StoreError::Sqlite(e)) if is_constraint(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

pub(super) fn upsert_customer(tx: &Transaction<'_>, version: u64, c: &CustomerPayload) -> Result<bool, StoreError> {
    let known: Option<i64> = tx
        .prepare_cached("SELECT server_version FROM customers WHERE id = ?1")?
        .query_row([c.customer_id.to_string()], |r| r.get(0))
        .optional()?;
    if known.is_some_and(|v| v >= version as i64) {
        return Ok(true);
    }
    let key = persian::search_key(&format!(
        "{} {} {}",
        c.name,
        c.mobile.as_deref().unwrap_or(""),
        c.national_id.as_deref().unwrap_or("")
    ));
    let written = tx
        .prepare_cached(
            "INSERT INTO customers (id, name, mobile, national_id, search_key, created_at, server_version, credit_limit,
                                    economic_code, postal_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, mobile = excluded.mobile,
                national_id = excluded.national_id, search_key = excluded.search_key,
                version = customers.version + 1, server_version = excluded.server_version,
                credit_limit = excluded.credit_limit, economic_code = excluded.economic_code,
                postal_code = excluded.postal_code",
        )?
        .execute(params![
            c.customer_id.to_string(),
            c.name,
            c.mobile,
            c.national_id,
            key,
            ts(Utc::now()),
            version as i64,
            Rial::whole(c.credit_limit).and_then(Rial::to_i64).filter(|l| *l >= 0).unwrap_or(0),
            c.economic_code,
            c.postal_code
        ]);
    match written {
        Ok(_) => Ok(true),
        Err(e) if is_constraint(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn insert_price(tx: &Transaction<'_>, p: &GoldPricePayload) -> Result<(), StoreError> {
    let per_gram = Rial::whole(p.per_gram_18k).ok_or_else(|| corrupt("pulled gold price"))?;
    let mazaneh = p.mazaneh.map(|m| Rial::whole(m).ok_or_else(|| corrupt("pulled mesghal quote"))).transpose()?;
    // A price this till entered comes back with its own id: kept as it is.
    tx.prepare_cached(
        "INSERT INTO gold_prices (id, per_gram_18k, mazaneh, set_at, origin, scope, set_by)
         VALUES (?1, ?2, ?3, ?4, 'server', ?5, ?6)
         ON CONFLICT (id) DO NOTHING",
    )?
    .execute(params![
        p.price_id.to_string(),
        rial_sql(per_gram)?,
        mazaneh.map(rial_sql).transpose()?,
        ts(p.set_at),
        p.scope.code(),
        p.set_by,
    ])?;
    Ok(())
}

/// The shop's policy from the server replaces the till's copy.
pub(super) fn save_settings(tx: &Transaction<'_>, s: &TenantSettings) -> Result<(), StoreError> {
    let pairs = [
        ("profit_percent", s.profit_percent.normalize().to_string()),
        ("trade_in_deduction_percent", s.trade_in_deduction_percent.normalize().to_string()),
        ("price_tolerance_percent", s.price_tolerance_percent.normalize().to_string()),
        ("max_offline_hours", s.max_offline_hours.to_string()),
        ("max_offline_sale", s.max_offline_sale.normalize().to_string()),
        ("max_unsynced_total", s.max_unsynced_total.normalize().to_string()),
        ("retention_days", s.retention_days.to_string()),
        (crate::store::tax::LEGAL_KEY, to_json(&s.legal)?),
    ];
    for (key, value) in pairs {
        tx.prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![key, value])?;
    }
    if !s.vat.is_empty() {
        tx.execute("DELETE FROM vat_rates", [])?;
        for rate in &s.vat {
            tx.prepare_cached("INSERT INTO vat_rates (effective_from, percent) VALUES (?1, ?2)")?
                .execute(params![rate.from.format("%Y-%m-%d").to_string(), rate.percent.normalize().to_string()])?;
        }
    }
    Ok(())
}

pub(super) fn upsert_conflict(tx: &Transaction<'_>, me: Uuid, state: &ConflictState) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO conflicts (op_id, conflict_id, device_id, device_name, op_kind, entity_id, kind, conflict, open,
                                created_at, resolution)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (op_id) DO UPDATE SET conflict_id = excluded.conflict_id, device_name = excluded.device_name,
            kind = excluded.kind, conflict = excluded.conflict, open = excluded.open,
            resolution = coalesce(excluded.resolution, conflicts.resolution),
            pending_resolution_op = CASE WHEN excluded.open THEN conflicts.pending_resolution_op END",
    )?
    .execute(params![
        state.op_id.to_string(),
        state.conflict_id.to_string(),
        state.device_id.to_string(),
        state.device_name,
        state.op_kind,
        state.entity_id.to_string(),
        state.conflict.kind.code(),
        to_json(&state.conflict)?,
        state.open,
        ts(state.created_at),
        state.resolution.as_ref().map(to_json).transpose()?
    ])?;
    // Settled at another till: carry the decision into this till's copy.
    if state.device_id == me
        && !state.open
        && let Some(record) = &state.resolution
    {
        close_conflict(tx, state.op_id, record)?;
    }
    Ok(())
}

impl Store {
    /// Applies one pull page and moves the cursor, in one transaction.
    /// A row with an unanswered local op is not overwritten: its change is
    /// held back and applied once the op is answered.
    pub fn apply_pull(&mut self, page: &PullResponse) -> Result<PullApplied, StoreError> {
        let me = self.device()?.device_id;
        let tx = self.write_tx()?;
        let mut done = PullApplied::default();
        let held = Held::read(&tx)?;
        for change in &page.changes {
            done.changes += 1;
            if !apply_change(&tx, me, &held, change)? {
                defer(&tx, change)?;
                done.deferred += 1;
            }
        }
        tx.execute("UPDATE sync_link SET pull_cursor = ?1 WHERE singleton = 1", [&page.next_cursor])?;
        apply_deferred(&tx)?;
        tx.commit()?;
        Ok(done)
    }
}
