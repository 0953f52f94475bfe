//! The drawer screen: the open shift as its X report, the last Z report,
//! and the notes the count is made in.

use super::*;

/// open: the open shift's X report, none when no shift is open.
/// notes: the Rial notes to count, largest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ShiftStatusView {
    pub open: Option<ShiftReport>,
    pub last_z: Option<ZReport>,
    pub notes: Vec<Rial>,
}
