//! The shop's policy as the server last sent it (offline limits, retention):
//! a sale past an offline limit needs the owner's PIN, and the till cleans
//! up ops the server has long acknowledged.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;
use serde::Serialize;

use super::{Store, parse_dec, ts, u64_sql};
use crate::error::StoreError;
use zargar_rules::money::Rial;
use zargar_wire::{Approval, ApprovalReason};

/// The server's policy for this till; each limit `None` when unset or 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShopPolicy {
    /// Hours without a sync before the till warns.
    pub max_offline_hours: Option<u32>,
    /// The largest single sale the till may make while offline without the owner's PIN.
    pub max_offline_sale: Option<Rial>,
    /// The most the till may hold unsent without the owner's PIN.
    pub max_unsynced_total: Option<Rial>,
    /// Days the till keeps acknowledged ops.
    pub retention_days: u32,
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}

pub(super) fn policy(conn: &Connection) -> Result<ShopPolicy, StoreError> {
    let rial = |key: &str| -> Result<Option<Rial>, StoreError> {
        Ok(setting(conn, key)?.map(|v| parse_dec(&v)).transpose()?.filter(|d| *d > Decimal::ZERO).map(Rial::floor))
    };
    let count =
        |key: &str| -> Result<Option<u32>, StoreError> { Ok(setting(conn, key)?.and_then(|v| v.parse::<u32>().ok())) };
    Ok(ShopPolicy {
        max_offline_hours: count("max_offline_hours")?.filter(|h| *h > 0),
        max_offline_sale: rial("max_offline_sale")?,
        max_unsynced_total: rial("max_unsynced_total")?,
        retention_days: count("retention_days")?.unwrap_or(zargar_wire::DEFAULT_RETENTION_DAYS),
    })
}

/// The owner's yes to a sale over a limit. Only `Store::approve_as_owner`
/// makes one, from the owner's PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerApproval {
    by: String,
}

impl OwnerApproval {
    pub fn by(&self) -> &str {
        &self.by
    }
}

/// Whether the till is enrolled and its last sync round failed, with none
/// succeeding since: what "offline" means for the offline limits.
fn offline(conn: &Connection) -> Result<Option<bool>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT last_error IS NOT NULL FROM sync_link WHERE singleton = 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// The sales the server has not answered yet.
pub(super) struct UnsentSales {
    pub count: u64,
    pub total: Rial,
}

pub(super) fn unsent_sales(conn: &Connection) -> Result<UnsentSales, StoreError> {
    let (count, total): (i64, i64) = conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(s.total), 0) FROM outbox o JOIN sales s ON s.op_id = o.op_id
             WHERE o.state = 'pending'",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(UnsentSales { count: u64_sql(count)?, total: Rial::from_i64(total) })
}

/// Checks a sale of `total` against the shop's offline limits: `None` when
/// it passes none (or the till is not enrolled), else the approval the
/// owner gave for it, or the refusal that asks for the owner's PIN.
pub(super) fn check_offline_limits(
    conn: &Connection,
    total: Rial,
    approval: Option<&OwnerApproval>,
) -> Result<Option<Approval>, StoreError> {
    let Some(offline) = offline(conn)? else { return Ok(None) };
    let policy = policy(conn)?;
    let passed = match (policy.max_offline_sale, policy.max_unsynced_total) {
        (Some(max), _) if offline && total > max => Some((ApprovalReason::OfflineSale, total, max)),
        (_, Some(max)) => {
            let unsent = unsent_sales(conn)?.total + total;
            (unsent > max).then_some((ApprovalReason::UnsentTotal, unsent, max))
        }
        _ => None,
    };
    let Some((reason, total, max)) = passed else { return Ok(None) };
    match approval {
        Some(a) => Ok(Some(Approval { by: a.by.clone(), reason, limit: max.decimal() })),
        None => Err(StoreError::OfflineLimit { limit: reason, total, max }),
    }
}

/// What one cleanup did to the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Cleaned {
    /// Acknowledged ops removed whole.
    pub removed: u64,
    /// Acknowledged sales and returns whose op body was dropped: the row
    /// stays, since the sale's record shows its sync state from it.
    pub compacted: u64,
    /// Acknowledged ops still kept in full, younger than the retention.
    pub kept: u64,
    pub retention_days: u32,
}

impl Store {
    pub fn policy(&self) -> Result<ShopPolicy, StoreError> {
        policy(&self.conn)
    }

    /// The owner's approval for a sale over a limit, if `pin` is theirs.
    /// A shell that throttles PINs (the app's owner gate) checks with it.
    pub fn approve_as_owner(&self, pin: &str) -> Result<OwnerApproval, StoreError> {
        if !self.check_owner_pin(pin)? {
            return Err(StoreError::OwnerPinWrong);
        }
        let by = self.owner()?.map(|o| o.name).unwrap_or_default();
        Ok(OwnerApproval { by })
    }

    /// Removes what the server acknowledged more than the shop's retention
    /// ago. A pending op is never touched (a trigger guards that too), nor
    /// an op in conflict or rejected: a person still has to see those.
    pub fn cleanup(&mut self, now: DateTime<Utc>) -> Result<Cleaned, StoreError> {
        let days = self.policy()?.retention_days;
        let cutoff = ts(now - chrono::Duration::days(i64::from(days)));
        let tx = self.conn.transaction()?;
        let removed = tx.execute(
            "DELETE FROM outbox WHERE state = 'acked' AND acked_at < ?1
               AND op_id NOT IN (SELECT op_id FROM sales) AND op_id NOT IN (SELECT op_id FROM returns)",
            [&cutoff],
        )?;
        let compacted = tx.execute(
            "UPDATE outbox SET payload = '', base = '' WHERE state = 'acked' AND acked_at < ?1 AND payload <> ''",
            [&cutoff],
        )?;
        let kept: i64 =
            tx.query_row("SELECT count(*) FROM outbox WHERE state = 'acked' AND payload <> ''", params![], |r| {
                r.get(0)
            })?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ('last_cleanup', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [ts(now)],
        )?;
        tx.commit()?;
        Ok(Cleaned { removed: removed as u64, compacted: compacted as u64, kept: kept as u64, retention_days: days })
    }

    /// The cleanup a sync engine runs after a good round, once a day.
    pub fn cleanup_if_due(&mut self, now: DateTime<Utc>) -> Result<Option<Cleaned>, StoreError> {
        if self.last_cleanup()?.is_some_and(|at| now - at < chrono::Duration::days(1)) {
            return Ok(None);
        }
        self.cleanup(now).map(Some)
    }

    /// When the last cleanup ran, if ever.
    pub fn last_cleanup(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        setting(&self.conn, "last_cleanup")?.map(|s| super::parse_ts(&s)).transpose()
    }
}
