//! The shop's change log that tills pull through: positions counted per
//! shop, each with the epoch of the commit that wrote it, and what
//! retention may prune from it.

use serde_json::value::RawValue;
use zargar_wire::{Change, ChangeData};

/// A place in a shop's change log: pull pages run in its order, and the
/// HTTP layer turns it into the opaque cursor a till keeps.
///
/// `seq` counts the shop's own changes, so a cursor says nothing about other
/// shops. Every change commits after every change with a lower `seq` (one
/// writer on SQLite; a per-shop counter locked until commit on PostgreSQL).
///
/// `epoch` is drawn at random by the commit that wrote that position. A
/// database restored from a backup writes its next changes under the same
/// positions but other epochs, so a cursor from before the restore no
/// longer matches and the till is told to start again (410) instead of
/// skipping what was written there since. A stored "database epoch" could
/// not do this: the backup holds the same one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ChangePos {
    pub seq: u64,
    /// 0 only for the start of the log and for cursors written before
    /// epochs existed (matched by the changes logged before them).
    pub epoch: i64,
}

impl ChangePos {
    /// The start of the log: always a valid cursor.
    pub const START: ChangePos = ChangePos { seq: 0, epoch: 0 };

    pub fn is_start(self) -> bool {
        self.seq == 0
    }

    /// The opaque cursor a till keeps: the position and its epoch.
    pub fn to_cursor(self) -> String {
        format!("v2.{}.{:x}", self.seq, self.epoch as u64)
    }

    /// `None` for text this server never gave (positions are stored as
    /// `i64`). A cursor from before epochs (`v1.N`) reads with epoch 0,
    /// which the changes logged since do not have.
    pub fn from_cursor(s: &str) -> Option<ChangePos> {
        if s.is_empty() {
            return Some(ChangePos::START);
        }
        let seq = |t: &str| t.parse::<i64>().ok().and_then(|n| u64::try_from(n).ok());
        if let Some(n) = s.strip_prefix("v1.") {
            return Some(ChangePos { seq: seq(n)?, epoch: 0 });
        }
        let (n, epoch) = s.strip_prefix("v2.")?.split_once('.')?;
        Some(ChangePos { seq: seq(n)?, epoch: u64::from_str_radix(epoch, 16).ok()? as i64 })
    }
}

/// A fresh, never-zero epoch for one commit's changes.
pub fn new_epoch() -> i64 {
    rand::random::<i64>() | 1
}

/// What retention keeps the newest change of: one thing of the shop (a
/// piece, a customer, a conflict, the settings), or, for prices, the
/// price itself, since a later price replaces an earlier one.
pub fn retention_key(change: &Change) -> String {
    match &change.data {
        ChangeData::GoldPrice(_) => "gold_price".to_owned(),
        ChangeData::Item(_) => format!("item:{}", change.id),
        ChangeData::Customer(_) => format!("customer:{}", change.id),
        ChangeData::Settings(_) => format!("settings:{}", change.id),
        ChangeData::Conflict(_) => format!("conflict:{}", change.id),
        ChangeData::Person(_) => format!("person:{}", change.id),
        // Each movement's newest status is kept for good: a till that
        // resyncs in full rebuilds every ledger from them.
        ChangeData::AccountMove(_) => format!("account_move:{}", change.id),
        ChangeData::InstallmentPlan(_) => format!("installment_plan:{}", change.id),
        ChangeData::Layaway(_) => format!("layaway:{}", change.id),
        ChangeData::TaxInvoice(_) => format!("tax_invoice:{}", change.id),
    }
}

/// One page of a pull.
#[derive(Debug, Clone)]
pub struct PullPage {
    /// Each change as the JSON it was logged as (a serialized `Change`):
    /// passed on as it is, since parsing it only to write it out again was
    /// a sixth of the server's time on a busy pull.
    pub changes: Vec<Box<RawValue>>,
    /// Where the next pull starts: the last change given, or the cursor itself.
    pub next: ChangePos,
    pub has_more: bool,
}

/// What a pull came to.
#[derive(Debug, Clone)]
pub enum PullOutcome {
    Page(PullPage),
    /// The cursor is below the floor retention left, past the log's end,
    /// or of another epoch than the change at its position: the till
    /// starts again from the start.
    Reset,
}

/// Whether `cursor` may go on, given the shop's floor and last position and
/// the epoch stored at the cursor's position (if that change is still there).
pub fn cursor_holds(cursor: ChangePos, floor: u64, last: u64, epoch_there: Option<i64>) -> bool {
    cursor.is_start() || (cursor.seq >= floor && cursor.seq <= last && epoch_there == Some(cursor.epoch))
}

/// What one retention run removed from a shop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Pruned {
    /// Stored answers to ops older than the retention.
    pub op_results: u64,
    /// Changes older than the retention that a later change of the same
    /// thing replaces.
    pub changes: u64,
    /// The lowest position a cursor may hold now (0: none pruned yet).
    pub floor: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_the_place_it_was_given_for() {
        for at in [ChangePos { seq: 1, epoch: -1 }, ChangePos { seq: i64::MAX as u64, epoch: new_epoch() }] {
            assert_eq!(ChangePos::from_cursor(&at.to_cursor()), Some(at));
        }
        assert_eq!(ChangePos::from_cursor(""), Some(ChangePos::START));
        assert_eq!(ChangePos::from_cursor("v1.42"), Some(ChangePos { seq: 42, epoch: 0 }));
        for bad in ["abc", "v1.-1", "v2.5", "v2.5.xyz", "v2.9223372036854775808.1", "v3.1.1"] {
            assert_eq!(ChangePos::from_cursor(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_cursor_holds_only_on_its_own_epoch_between_the_floor_and_the_end() {
        let at = ChangePos { seq: 10, epoch: 7 };
        assert!(cursor_holds(at, 0, 10, Some(7)));
        assert!(!cursor_holds(at, 0, 10, Some(8)), "another commit wrote that place: a restored server");
        assert!(!cursor_holds(at, 0, 10, None), "pruned, or never written");
        assert!(!cursor_holds(at, 11, 20, Some(7)), "below the floor");
        assert!(!cursor_holds(at, 0, 9, Some(7)), "past the end");
        assert!(cursor_holds(ChangePos::START, 50, 60, None), "the start always holds");
    }
}
