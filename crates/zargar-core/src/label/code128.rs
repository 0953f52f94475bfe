//! Code 128 (ISO/IEC 15417), written here: one table and a checksum.

use super::LabelError;

/// Bar, space, bar, space, bar, space widths in modules of the symbols
/// 0..=105 (ISO/IEC 15417); each sums to 11. The stop is [`STOP_PATTERN`].
pub(super) const PATTERNS: [[u8; 6]; 106] = [
    [2, 1, 2, 2, 2, 2],
    [2, 2, 2, 1, 2, 2],
    [2, 2, 2, 2, 2, 1],
    [1, 2, 1, 2, 2, 3],
    [1, 2, 1, 3, 2, 2],
    [1, 3, 1, 2, 2, 2],
    [1, 2, 2, 2, 1, 3],
    [1, 2, 2, 3, 1, 2],
    [1, 3, 2, 2, 1, 2],
    [2, 2, 1, 2, 1, 3],
    [2, 2, 1, 3, 1, 2],
    [2, 3, 1, 2, 1, 2],
    [1, 1, 2, 2, 3, 2],
    [1, 2, 2, 1, 3, 2],
    [1, 2, 2, 2, 3, 1],
    [1, 1, 3, 2, 2, 2],
    [1, 2, 3, 1, 2, 2],
    [1, 2, 3, 2, 2, 1],
    [2, 2, 3, 2, 1, 1],
    [2, 2, 1, 1, 3, 2],
    [2, 2, 1, 2, 3, 1],
    [2, 1, 3, 2, 1, 2],
    [2, 2, 3, 1, 1, 2],
    [3, 1, 2, 1, 3, 1],
    [3, 1, 1, 2, 2, 2],
    [3, 2, 1, 1, 2, 2],
    [3, 2, 1, 2, 2, 1],
    [3, 1, 2, 2, 1, 2],
    [3, 2, 2, 1, 1, 2],
    [3, 2, 2, 2, 1, 1],
    [2, 1, 2, 1, 2, 3],
    [2, 1, 2, 3, 2, 1],
    [2, 3, 2, 1, 2, 1],
    [1, 1, 1, 3, 2, 3],
    [1, 3, 1, 1, 2, 3],
    [1, 3, 1, 3, 2, 1],
    [1, 1, 2, 3, 1, 3],
    [1, 3, 2, 1, 1, 3],
    [1, 3, 2, 3, 1, 1],
    [2, 1, 1, 3, 1, 3],
    [2, 3, 1, 1, 1, 3],
    [2, 3, 1, 3, 1, 1],
    [1, 1, 2, 1, 3, 3],
    [1, 1, 2, 3, 3, 1],
    [1, 3, 2, 1, 3, 1],
    [1, 1, 3, 1, 2, 3],
    [1, 1, 3, 3, 2, 1],
    [1, 3, 3, 1, 2, 1],
    [3, 1, 3, 1, 2, 1],
    [2, 1, 1, 3, 3, 1],
    [2, 3, 1, 1, 3, 1],
    [2, 1, 3, 1, 1, 3],
    [2, 1, 3, 3, 1, 1],
    [2, 1, 3, 1, 3, 1],
    [3, 1, 1, 1, 2, 3],
    [3, 1, 1, 3, 2, 1],
    [3, 3, 1, 1, 2, 1],
    [3, 1, 2, 1, 1, 3],
    [3, 1, 2, 3, 1, 1],
    [3, 3, 2, 1, 1, 1],
    [3, 1, 4, 1, 1, 1],
    [2, 2, 1, 4, 1, 1],
    [4, 3, 1, 1, 1, 1],
    [1, 1, 1, 2, 2, 4],
    [1, 1, 1, 4, 2, 2],
    [1, 2, 1, 1, 2, 4],
    [1, 2, 1, 4, 2, 1],
    [1, 4, 1, 1, 2, 2],
    [1, 4, 1, 2, 2, 1],
    [1, 1, 2, 2, 1, 4],
    [1, 1, 2, 4, 1, 2],
    [1, 2, 2, 1, 1, 4],
    [1, 2, 2, 4, 1, 1],
    [1, 4, 2, 1, 1, 2],
    [1, 4, 2, 2, 1, 1],
    [2, 4, 1, 2, 1, 1],
    [2, 2, 1, 1, 1, 4],
    [4, 1, 3, 1, 1, 1],
    [2, 4, 1, 1, 1, 2],
    [1, 3, 4, 1, 1, 1],
    [1, 1, 1, 2, 4, 2],
    [1, 2, 1, 1, 4, 2],
    [1, 2, 1, 2, 4, 1],
    [1, 1, 4, 2, 1, 2],
    [1, 2, 4, 1, 1, 2],
    [1, 2, 4, 2, 1, 1],
    [4, 1, 1, 2, 1, 2],
    [4, 2, 1, 1, 1, 2],
    [4, 2, 1, 2, 1, 1],
    [2, 1, 2, 1, 4, 1],
    [2, 1, 4, 1, 2, 1],
    [4, 1, 2, 1, 2, 1],
    [1, 1, 1, 1, 4, 3],
    [1, 1, 1, 3, 4, 1],
    [1, 3, 1, 1, 4, 1],
    [1, 1, 4, 1, 1, 3],
    [1, 1, 4, 3, 1, 1],
    [4, 1, 1, 1, 1, 3],
    [4, 1, 1, 3, 1, 1],
    [1, 1, 3, 1, 4, 1],
    [1, 1, 4, 1, 3, 1],
    [3, 1, 1, 1, 4, 1],
    [4, 1, 1, 1, 3, 1],
    [2, 1, 1, 4, 1, 2],
    [2, 1, 1, 2, 1, 4],
    [2, 1, 1, 2, 3, 2],
];
/// The stop symbol with its final 2-module bar: 13 modules.
pub(super) const STOP_PATTERN: [u8; 7] = [2, 3, 3, 1, 1, 1, 2];
pub(super) const CODE_C: u8 = 99;
pub(super) const CODE_B: u8 = 100;
pub(super) const START_B: u8 = 104;
pub(super) const START_C: u8 = 105;
const STOP: u8 = 106;
/// Blank modules required on each side of the bars.
pub const QUIET_ZONE_MODULES: u32 = 10;

/// A Code 128 symbol: its symbol values from the start code to the stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code128 {
    text: String,
    symbols: Vec<u8>,
}

impl Code128 {
    /// Encodes printable ASCII (32..=126) in code set B, switching to code
    /// set C (two digits a symbol) for runs of four digits or more, and
    /// starting in C when the text opens with such a run or is all digits,
    /// an even number of them.
    pub fn encode(text: &str) -> Result<Code128, LabelError> {
        if text.is_empty() {
            return Err(LabelError::Empty);
        }
        if let Some(ch) = text.chars().find(|c| !matches!(c, ' '..='~')) {
            return Err(LabelError::Unencodable { code: text.to_owned(), ch });
        }
        let bytes = text.as_bytes();
        let digits_from = |i: usize| bytes.iter().skip(i).take_while(|b| b.is_ascii_digit()).count();
        let lead = digits_from(0);
        let mut in_c = lead >= 4 || (lead == bytes.len() && lead % 2 == 0);
        let mut symbols = vec![if in_c { START_C } else { START_B }];
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let run = digits_from(i);
            if in_c {
                match bytes.get(i + 1) {
                    Some(&next) if run >= 2 => {
                        symbols.push((b - b'0') * 10 + (next - b'0'));
                        i += 2;
                    }
                    _ => {
                        symbols.push(CODE_B);
                        in_c = false;
                    }
                }
            } else if run >= 4 {
                // An odd run leaves one digit to code set B: its first digit
                // when the run ends the text (no switch back is then needed),
                // else its last one, after the switch back that follows anyway.
                if run % 2 == 1 && i + run == bytes.len() {
                    symbols.push(b - b' ');
                    i += 1;
                }
                symbols.push(CODE_C);
                in_c = true;
            } else {
                symbols.push(b - b' ');
                i += 1;
            }
        }
        let check = checksum(&symbols);
        symbols.extend([check, STOP]);
        Ok(Code128 { text: text.to_owned(), symbols })
    }

    /// What the barcode reads as.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The symbol values: start code, data (with code set switches), the
    /// check symbol and the stop (106).
    pub fn symbols(&self) -> &[u8] {
        &self.symbols
    }

    /// The check symbol: the start value plus each following symbol times
    /// its position, modulo 103.
    pub fn checksum(&self) -> u8 {
        self.symbols.iter().rev().nth(1).copied().unwrap_or_default()
    }

    /// Bar and space widths in modules, bar first, ending with the stop's
    /// final bar (quiet zones not included).
    pub fn widths(&self) -> Vec<u8> {
        let mut widths = Vec::with_capacity(self.symbols.len() * 6 + 1);
        for &s in &self.symbols {
            match PATTERNS.get(usize::from(s)) {
                Some(p) => widths.extend_from_slice(p),
                None => widths.extend_from_slice(&STOP_PATTERN),
            }
        }
        widths
    }

    /// The width of the bars in modules, quiet zones not included.
    pub fn modules(&self) -> u32 {
        self.widths().iter().map(|&w| u32::from(w)).sum()
    }
}

pub(super) fn checksum(symbols: &[u8]) -> u8 {
    let weighted: usize = symbols.iter().enumerate().map(|(i, &s)| i.max(1) * usize::from(s)).sum();
    // Below 103, so the cast keeps the value.
    (weighted % 103) as u8
}

/// The bar and space widths of `data` in modules (see [`Code128::widths`]).
pub fn code128(data: &str) -> Result<Vec<u8>, LabelError> {
    Code128::encode(data).map(|c| c.widths())
}
