//! The till's side of sync, as store operations. Each is one transaction.
//! The network half lives in `crate::sync`; it never writes SQL. Here: the
//! link to the shop's server and the outbox as the engine reads it; the
//! three other jobs have a file each.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use zargar_wire::{DeviceRole, EnrollResponse, Op, TenantRef};

use crate::error::StoreError;
use crate::store::{Store, parse_ts, parse_uuid, ts, u64_sql};

mod conflicts;
mod pull;
mod push;

pub use conflicts::{ResolutionQueued, ResolveRequest, TillConflict};
pub use pull::PullApplied;
pub use push::PushApplied;
pub(super) use push::{move_item, outbox_row};

/// This till's link to its shop's server, made by enrolment.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SyncLink {
    pub server_url: String,
    /// The till's credential; never printed (see `Debug`), never logged.
    #[serde(skip)]
    pub device_token: String,
    pub tenant: TenantRef,
    pub role: DeviceRole,
    pub enrolled_at: DateTime<Utc>,
    pub pull_cursor: Option<String>,
    pub acked_seq: u64,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<SyncFault>,
    /// Why the engine stopped for good (re-enrol, revoked, update), if it did.
    pub stopped: Option<SyncFault>,
}

impl std::fmt::Debug for SyncLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncLink")
            .field("server_url", &self.server_url)
            .field("device_token", &"<redacted>")
            .field("tenant", &self.tenant)
            .field("role", &self.role)
            .field("pull_cursor", &self.pull_cursor)
            .field("acked_seq", &self.acked_seq)
            .field("last_success", &self.last_success)
            .field("last_error", &self.last_error)
            .field("stopped", &self.stopped)
            .finish_non_exhaustive()
    }
}

/// A sync failure as remembered by the till: a stable code (`SyncError::code`)
/// and a detail for support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncFault {
    pub code: String,
    pub detail: String,
    pub at: DateTime<Utc>,
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

pub(in crate::store) fn to_json<T: Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| corrupt(format!("json: {e}")))
}

pub(in crate::store) fn from_json<T: for<'de> Deserialize<'de>>(s: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| corrupt(format!("{what}: {e}")))
}

impl Store {
    /// Links this till to a shop after the server accepted its enrolment
    /// code. Re-enrolling (a new token after a 401) keeps the cursor; moving
    /// to another shop is refused while anything is unsent.
    pub fn link_server(
        &mut self,
        server_url: &str,
        enrolled: &EnrollResponse,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let device = self.device()?.device_id;
        if enrolled.device_id != device {
            return Err(corrupt(format!("enrolled as {} but this till is {device}", enrolled.device_id)));
        }
        let tx = self.write_tx()?;
        let old: Option<String> =
            tx.query_row("SELECT tenant_id FROM sync_link WHERE singleton = 1", [], |r| r.get(0)).optional()?;
        let same_shop = old.as_deref() == Some(enrolled.tenant.id.to_string().as_str());
        if old.is_some() && !same_shop {
            let unsent: i64 = tx.query_row("SELECT count(*) FROM outbox WHERE state = 'pending'", [], |r| r.get(0))?;
            if unsent > 0 {
                return Err(StoreError::OtherShop { unsent: u64_sql(unsent)? });
            }
        }
        tx.execute(
            "INSERT INTO sync_link (singleton, server_url, device_token, tenant_id, tenant_name, role, enrolled_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (singleton) DO UPDATE SET
                server_url = excluded.server_url, device_token = excluded.device_token,
                tenant_id = excluded.tenant_id, tenant_name = excluded.tenant_name, role = excluded.role,
                enrolled_at = excluded.enrolled_at, last_error = NULL, stopped = NULL,
                pull_cursor = CASE WHEN ?7 THEN pull_cursor END",
            params![
                server_url.trim_end_matches('/'),
                enrolled.device_token,
                enrolled.tenant.id.to_string(),
                enrolled.tenant.name,
                enrolled.role.code(),
                ts(now),
                same_shop
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub fn sync_link(&self) -> Result<Option<SyncLink>, StoreError> {
        self.conn
            .query_row(
                "SELECT server_url, device_token, tenant_id, tenant_name, role, enrolled_at, pull_cursor, acked_seq,
                        last_success, last_error, stopped
                 FROM sync_link WHERE singleton = 1",
                [],
                |r| {
                    Ok((
                        (
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                        ),
                        (r.get::<_, String>(4)?, r.get::<_, String>(5)?, r.get::<_, Option<String>>(6)?),
                        (r.get::<_, i64>(7)?, r.get::<_, Option<String>>(8)?),
                        (r.get::<_, Option<String>>(9)?, r.get::<_, Option<String>>(10)?),
                    ))
                },
            )
            .optional()?
            .map(|((url, token, tid, tname), (role, at, cursor), (acked, ok), (err, stopped))| {
                Ok(SyncLink {
                    server_url: url,
                    device_token: token,
                    tenant: TenantRef { id: parse_uuid(&tid)?, name: tname },
                    role: DeviceRole::from_code(&role).ok_or_else(|| corrupt(format!("device role {role}")))?,
                    enrolled_at: parse_ts(&at)?,
                    pull_cursor: cursor,
                    acked_seq: u64_sql(acked)?,
                    last_success: ok.as_deref().map(parse_ts).transpose()?,
                    last_error: err.as_deref().map(|s| from_json(s, "last error")).transpose()?,
                    stopped: stopped.as_deref().map(|s| from_json(s, "stop")).transpose()?,
                })
            })
            .transpose()
    }

    /// Up to `limit` ops to push, in seq order: the unanswered ones, or
    /// (after the server asked to resend from `from`) every op from there on.
    pub fn ops_to_push(&self, from: Option<u64>, limit: u32) -> Result<Vec<Op>, StoreError> {
        match from {
            None => self.pending_ops(0, limit),
            Some(seq) => self.ops_from(seq, limit),
        }
    }

    /// The first seq still waiting for an answer, if any.
    pub fn first_pending_seq(&self) -> Result<Option<u64>, StoreError> {
        let v: Option<i64> =
            self.conn.query_row("SELECT min(seq) FROM outbox WHERE state = 'pending'", [], |r| r.get(0))?;
        v.map(u64_sql).transpose()
    }

    /// Remembers a finished round, or why one failed; `stop` marks a failure
    /// that retrying cannot fix (the engine waits for a person).
    pub fn note_sync(&mut self, outcome: Result<DateTime<Utc>, (SyncFault, bool)>) -> Result<(), StoreError> {
        match outcome {
            Ok(at) => self.conn.execute(
                "UPDATE sync_link SET last_success = ?1, last_error = NULL, stopped = NULL WHERE singleton = 1",
                [ts(at)],
            )?,
            Err((fault, stop)) => self.conn.execute(
                "UPDATE sync_link SET last_error = ?1, stopped = CASE WHEN ?2 THEN ?1 ELSE stopped END WHERE singleton = 1",
                params![to_json(&fault)?, stop],
            )?,
        };
        Ok(())
    }

    /// Forgets the pull position: the next pull starts from the beginning
    /// (the server answered 410: retention pruned past our cursor, or the
    /// server was restored from a backup). The versions the server gave are
    /// forgotten too, so that what the full pull says wins even where a
    /// restored server counts versions again from lower numbers; changes
    /// held back for unsent ops are dropped, as the full pull brings them
    /// again. This till's own data and unsent ops stay as they are.
    pub fn reset_pull(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("UPDATE sync_link SET pull_cursor = NULL WHERE singleton = 1", [])?;
        tx.execute("UPDATE items SET server_version = 0 WHERE server_version <> 0", [])?;
        tx.execute("UPDATE customers SET server_version = 0 WHERE server_version <> 0", [])?;
        tx.execute("DELETE FROM pull_deferred", [])?;
        tx.commit()?;
        Ok(())
    }
}
