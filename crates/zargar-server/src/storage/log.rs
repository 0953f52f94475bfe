//! The shop's change log that tills pull through: positions counted per
//! shop, each with the epoch of the commit that wrote it, and what
//! retention may prune from it.

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
    }
}

/// One page of a pull.
#[derive(Debug, Clone, PartialEq)]
pub struct PullPage {
    pub changes: Vec<Change>,
    /// Where the next pull starts: the last change given, or the cursor itself.
    pub next: ChangePos,
    pub has_more: bool,
}

/// What a pull came to.
#[derive(Debug, Clone, PartialEq)]
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
