//! How values are stored in the SQLite file, and read back: times as
//! RFC 3339 text, ids as hyphenated text, amounts as decimal text, exactly
//! as on the wire. A value that does not read back is a fault of the file.

use chrono::{DateTime, Utc};
use rusqlite::ErrorCode;
use uuid::Uuid;
use zargar_wire::{GoldPricePayload, PriceScope};

use crate::storage::StorageError;

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            // Another process held the file past the busy timeout: worth a retry.
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StorageError::Unavailable(e.to_string()),
            _ => StorageError::backend(e),
        }
    }
}

pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub fn parse_ts(s: &str) -> Result<DateTime<Utc>, StorageError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StorageError::stored(format!("time {s:?}: {e}")))
}

pub fn parse_uuid(s: &str) -> Result<Uuid, StorageError> {
    Uuid::parse_str(s).map_err(|e| StorageError::stored(format!("id {s:?}: {e}")))
}

pub fn parse_decimal(s: &str) -> Result<rust_decimal::Decimal, StorageError> {
    s.parse().map_err(|e| StorageError::stored(format!("amount {s:?}: {e}")))
}

/// The columns of a price with the name of the till it was set at.
pub const PRICE_COLUMNS: &str = "p.id, p.per_gram_18k, p.mazaneh, p.set_at, p.origin, p.set_by, d.name";
pub const PRICE_FROM: &str = "gold_prices p LEFT JOIN devices d ON d.id = p.device_id";

pub type PriceRow = (String, String, Option<String>, String, String, Option<String>, Option<String>);

pub fn read_price(r: &rusqlite::Row<'_>) -> rusqlite::Result<PriceRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

pub fn price_from_row(row: PriceRow) -> Result<GoldPricePayload, StorageError> {
    Ok(GoldPricePayload {
        price_id: parse_uuid(&row.0)?,
        per_gram_18k: parse_decimal(&row.1)?,
        mazaneh: row.2.as_deref().map(parse_decimal).transpose()?,
        set_at: parse_ts(&row.3)?,
        scope: if row.4 == "server" { PriceScope::Shop } else { PriceScope::Till },
        set_by: row.5,
        set_at_till: row.6,
    })
}
