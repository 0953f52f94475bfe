//! The size of a label on the roll.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use crate::persian;

use super::LabelError;

/// The size of a label on the roll, in whole millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LabelSize {
    pub(super) width_mm: u32,
    pub(super) height_mm: u32,
}

impl LabelSize {
    pub const WIDTHS_MM: RangeInclusive<u32> = 20..=110;
    pub const HEIGHTS_MM: RangeInclusive<u32> = 10..=80;
    pub const DEFAULT: LabelSize = LabelSize { width_mm: 50, height_mm: 30 };
    /// Common jewelry label rolls. The last is a dumbbell (barbell) tag:
    /// two printed wings joined by the tail that goes round the piece.
    pub const PRESETS: [LabelSize; 4] = [
        LabelSize::DEFAULT,
        LabelSize { width_mm: 40, height_mm: 25 },
        LabelSize { width_mm: 60, height_mm: 40 },
        LabelSize { width_mm: 72, height_mm: 12 },
    ];
    /// Labels lower than this are laid out as dumbbell tags: barcode on the
    /// left wing, text on the right, nothing on the tail between them.
    const DUMBBELL_BELOW_MM: u32 = 20;

    pub fn new(width_mm: u32, height_mm: u32) -> Option<LabelSize> {
        (LabelSize::WIDTHS_MM.contains(&width_mm) && LabelSize::HEIGHTS_MM.contains(&height_mm))
            .then_some(LabelSize { width_mm, height_mm })
    }

    /// "50x30", "50×30", "۵۰×۳۰", "50 x 30 mm".
    pub fn parse(s: &str) -> Result<LabelSize, LabelError> {
        let bad = || LabelError::BadSize(s.to_owned());
        let folded = persian::fold_digits(&persian::strip_bidi_controls(s)).trim().to_lowercase();
        let folded = folded.strip_suffix("mm").unwrap_or(&folded);
        let (w, h) = folded.split_once(['x', '×', '*']).ok_or_else(bad)?;
        let w = w.trim().parse().map_err(|_| bad())?;
        let h = h.trim().parse().map_err(|_| bad())?;
        LabelSize::new(w, h).ok_or_else(bad)
    }

    pub fn width_mm(self) -> u32 {
        self.width_mm
    }

    pub fn height_mm(self) -> u32 {
        self.height_mm
    }

    pub(super) fn is_dumbbell(self) -> bool {
        self.height_mm < LabelSize::DUMBBELL_BELOW_MM
    }
}

impl Default for LabelSize {
    fn default() -> LabelSize {
        LabelSize::DEFAULT
    }
}

impl fmt::Display for LabelSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width_mm, self.height_mm)
    }
}

impl FromStr for LabelSize {
    type Err = LabelError;

    fn from_str(s: &str) -> Result<LabelSize, LabelError> {
        LabelSize::parse(s)
    }
}
