//! A 1-bit image in printer dots: what a thermal head burns. Rows are packed
//! 8 dots to a byte, most significant bit first, 1 = black, each row padded
//! to a whole byte: the layout of ESC/POS `GS v 0` and of PBM (P4), so both
//! are written without converting.

use super::PrintError;

/// The widest image accepted: 104 mm at 8 dots/mm, wider than any receipt
/// head (80 mm paper prints 72 mm); a wider image is a mistake upstream.
pub const MAX_WIDTH_DOTS: u32 = 832;

/// The tallest image accepted: 2.5 m of paper at 8 dots/mm. A receipt is a
/// few hundred millimetres; this bounds memory and paper, not use.
pub const MAX_HEIGHT_DOTS: u32 = 20_000;

/// Grey levels below this are black (0 = black, 255 = white).
const THRESHOLD: u16 = 128;

/// A black-and-white image, `width` × `height` dots.
#[derive(Clone, PartialEq, Eq)]
pub struct Bitmap {
    width: u32,
    height: u32,
    /// `height` rows of `row_bytes()` bytes each.
    bits: Vec<u8>,
}

impl std::fmt::Debug for Bitmap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The pixels would drown a test failure; their count says enough.
        f.debug_struct("Bitmap")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("black_dots", &self.black_dots())
            .finish()
    }
}

impl Bitmap {
    /// An all-white image.
    pub fn white(width: u32, height: u32) -> Result<Bitmap, PrintError> {
        check_size(width, height)?;
        Ok(Bitmap { width, height, bits: vec![0; row_bytes(width) * height as usize] })
    }

    /// From 8-bit grey, one byte per dot, row by row (0 = black).
    pub fn from_gray(width: u32, height: u32, gray: &[u8]) -> Result<Bitmap, PrintError> {
        let mut b = Bitmap::white(width, height)?;
        if gray.len() != dots(width, height) {
            return Err(bad(width, height, "the grey buffer is not width × height bytes"));
        }
        b.fill_from(gray.iter().map(|&g| u16::from(g)));
        Ok(b)
    }

    /// From RGBA, four bytes per dot, row by row (a canvas's `ImageData`).
    /// Transparent dots are laid over white paper; luminance is ITU-R BT.601
    /// (0.299 R + 0.587 G + 0.114 B) in integers.
    pub fn from_rgba(width: u32, height: u32, rgba: &[u8]) -> Result<Bitmap, PrintError> {
        let mut b = Bitmap::white(width, height)?;
        if rgba.len() != dots(width, height) * 4 {
            return Err(bad(width, height, "the RGBA buffer is not width × height × 4 bytes"));
        }
        b.fill_from(rgba.chunks_exact(4).map(|p| match *p {
            [r, g, bl, a] => {
                let a = u32::from(a);
                // Over white: c·a + 255·(255 − a), all ÷ 255 (at most 65025·1000).
                let over = |c: u8| u32::from(c) * a + 255 * (255 - a);
                let y = (299 * over(r) + 587 * over(g) + 114 * over(bl)) / (255 * 1000);
                u16::try_from(y).unwrap_or(u16::MAX)
            }
            _ => u16::MAX,
        }));
        Ok(b)
    }

    /// From rows already packed (the layout above). Bits past `width` in a
    /// row's last byte are cleared, so equal images compare equal.
    pub fn from_packed(width: u32, height: u32, bytes: Vec<u8>) -> Result<Bitmap, PrintError> {
        check_size(width, height)?;
        if bytes.len() != row_bytes(width) * height as usize {
            return Err(bad(width, height, "the packed buffer is not ceil(width / 8) × height bytes"));
        }
        let mut b = Bitmap { width, height, bits: bytes };
        b.clear_padding();
        Ok(b)
    }

    /// Width in dots.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in dots (rows).
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes in one packed row: ceil(width / 8).
    pub fn row_bytes(&self) -> usize {
        row_bytes(self.width)
    }

    /// Every row, packed, top to bottom.
    pub fn packed(&self) -> &[u8] {
        &self.bits
    }

    /// Rows `from..to` (clamped), packed.
    pub fn rows(&self, from: u32, to: u32) -> &[u8] {
        let to = to.min(self.height);
        let from = from.min(to);
        let n = self.row_bytes();
        self.bits.get(from as usize * n..to as usize * n).unwrap_or_default()
    }

    /// Whether the dot at (x, y) is black; outside the image is white.
    pub fn get(&self, x: u32, y: u32) -> bool {
        if x >= self.width || y >= self.height {
            return false;
        }
        let i = y as usize * self.row_bytes() + x as usize / 8;
        self.bits.get(i).is_some_and(|b| b & mask(x) != 0)
    }

    /// Paints the dot at (x, y); outside the image is ignored.
    pub fn set(&mut self, x: u32, y: u32, black: bool) {
        if x >= self.width || y >= self.height {
            return;
        }
        let i = y as usize * self.row_bytes() + x as usize / 8;
        if let Some(b) = self.bits.get_mut(i) {
            if black {
                *b |= mask(x);
            } else {
                *b &= !mask(x);
            }
        }
    }

    /// Paints a rectangle black, clipped to the image.
    pub fn fill_rect(&mut self, x: u32, y: u32, width: u32, height: u32) {
        let x_end = x.saturating_add(width).min(self.width);
        let y_end = y.saturating_add(height).min(self.height);
        for yy in y..y_end {
            for xx in x..x_end {
                self.set(xx, yy, true);
            }
        }
    }

    /// No black dot at all: nothing worth feeding paper for.
    pub fn is_blank(&self) -> bool {
        self.bits.iter().all(|&b| b == 0)
    }

    /// How many dots are black.
    pub fn black_dots(&self) -> u64 {
        self.bits.iter().map(|b| u64::from(b.count_ones())).sum()
    }

    /// Drops white rows at the bottom (a webview's canvas is often taller
    /// than the receipt), keeping at least one row. Returns the rows dropped.
    pub fn trim_trailing_white(&mut self) -> u32 {
        let n = self.row_bytes();
        let used = self.bits.chunks_exact(n).rposition(|row| row.iter().any(|&b| b != 0)).map_or(1, |last| last + 1);
        let used = u32::try_from(used).unwrap_or(self.height).min(self.height);
        let dropped = self.height - used;
        self.height = used;
        self.bits.truncate(n * used as usize);
        dropped
    }

    /// The image as a binary PBM (P4): viewers and `pnmtopng` read it, and
    /// CUPS prints it. P4's row layout is ours, so the rows go out as they are.
    pub fn to_pbm(&self) -> Vec<u8> {
        let mut out = format!("P4\n{} {}\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.bits);
        out
    }

    /// Sets every dot from grey levels in row order (length checked by the caller).
    fn fill_from(&mut self, levels: impl Iterator<Item = u16>) {
        let width = self.width as usize;
        let n = self.row_bytes();
        for (i, level) in levels.enumerate() {
            if level < THRESHOLD {
                let (y, x) = (i / width, i % width);
                if let Some(b) = self.bits.get_mut(y * n + x / 8) {
                    *b |= 0x80 >> (x % 8);
                }
            }
        }
    }

    fn clear_padding(&mut self) {
        let used = self.width % 8;
        if used == 0 {
            return;
        }
        let keep = !(0xFFu8 >> used);
        let n = self.row_bytes();
        for row in self.bits.chunks_exact_mut(n) {
            if let Some(last) = row.last_mut() {
                *last &= keep;
            }
        }
    }
}

fn mask(x: u32) -> u8 {
    0x80 >> (x % 8)
}

fn row_bytes(width: u32) -> usize {
    width.div_ceil(8) as usize
}

fn dots(width: u32, height: u32) -> usize {
    width as usize * height as usize
}

fn bad(width: u32, height: u32, reason: &'static str) -> PrintError {
    PrintError::ImageBad { width, height, reason }
}

fn check_size(width: u32, height: u32) -> Result<(), PrintError> {
    if width == 0 || height == 0 {
        return Err(bad(width, height, "the image is empty"));
    }
    if width > MAX_WIDTH_DOTS {
        return Err(bad(width, height, "wider than 832 dots (104 mm)"));
    }
    if height > MAX_HEIGHT_DOTS {
        return Err(bad(width, height, "taller than 20000 dots"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grey_is_thresholded_at_128() {
        let b = Bitmap::from_gray(4, 1, &[0, 127, 128, 255]).expect("valid");
        assert_eq!(b.packed(), [0b1100_0000]);
        assert_eq!(b.black_dots(), 2);
    }

    #[test]
    fn rows_are_packed_msb_first_and_padded() {
        // 10 dots wide: two bytes a row, the last six bits unused.
        let mut gray = vec![255u8; 20];
        gray[0] = 0; // (0, 0)
        gray[9] = 0; // (9, 0)
        gray[10 + 8] = 0; // (8, 1)
        let b = Bitmap::from_gray(10, 2, &gray).expect("valid");
        assert_eq!(b.row_bytes(), 2);
        assert_eq!(b.packed(), [0x80, 0x40, 0x00, 0x80]);
        assert!(b.get(0, 0) && b.get(9, 0) && b.get(8, 1));
        assert!(!b.get(1, 0) && !b.get(10, 0) && !b.get(0, 2));
    }

    #[test]
    fn rgba_uses_luminance_over_white() {
        let px = |r, g, b, a| [r, g, b, a];
        let data: Vec<u8> = [
            px(0, 0, 0, 255),       // black
            px(255, 255, 255, 255), // white
            px(0, 0, 0, 0),         // transparent black: white paper shows
            px(0, 0, 0, 140),       // mostly-opaque black: dark
            px(255, 0, 0, 255),     // red: Y = 76, black on a thermal head
            px(0, 255, 0, 255),     // green: Y = 149, white
            px(0, 0, 255, 255),     // blue: Y = 29, black
            px(0, 0, 0, 100),       // faint black: light
        ]
        .concat();
        let b = Bitmap::from_rgba(8, 1, &data).expect("valid");
        assert_eq!(b.packed(), [0b1001_1010]);
    }

    #[test]
    fn sizes_and_buffers_are_checked_without_panicking() {
        let code = |r: Result<Bitmap, PrintError>| r.err().map(|e| e.code());
        assert_eq!(code(Bitmap::white(0, 10)), Some("print_image_bad"));
        assert_eq!(code(Bitmap::white(10, 0)), Some("print_image_bad"));
        assert_eq!(code(Bitmap::white(MAX_WIDTH_DOTS + 1, 1)), Some("print_image_bad"));
        assert_eq!(code(Bitmap::white(8, MAX_HEIGHT_DOTS + 1)), Some("print_image_bad"));
        assert!(Bitmap::white(MAX_WIDTH_DOTS, MAX_HEIGHT_DOTS).is_ok());
        assert_eq!(code(Bitmap::from_gray(4, 2, &[0; 7])), Some("print_image_bad"));
        assert_eq!(code(Bitmap::from_rgba(4, 2, &[0; 31])), Some("print_image_bad"));
        assert_eq!(code(Bitmap::from_packed(9, 2, vec![0; 3])), Some("print_image_bad"));
        assert_eq!(code(Bitmap::from_gray(u32::MAX, u32::MAX, &[])), Some("print_image_bad"));
    }

    #[test]
    fn packed_padding_is_cleared() {
        let b = Bitmap::from_packed(4, 1, vec![0xFF]).expect("valid");
        assert_eq!(b.packed(), [0xF0]);
        assert_eq!(b.black_dots(), 4);
    }

    #[test]
    fn trailing_white_rows_are_trimmed() {
        let mut b = Bitmap::white(16, 10).expect("valid");
        assert!(b.is_blank());
        b.fill_rect(2, 3, 4, 2);
        assert!(!b.is_blank());
        assert_eq!(b.black_dots(), 8);
        assert_eq!(b.trim_trailing_white(), 5);
        assert_eq!(b.height(), 5);
        assert_eq!(b.packed().len(), 10);

        let mut blank = Bitmap::white(16, 10).expect("valid");
        assert_eq!(blank.trim_trailing_white(), 9, "one row is kept");
        assert_eq!(blank.height(), 1);
    }

    #[test]
    fn rects_are_clipped() {
        let mut b = Bitmap::white(8, 8).expect("valid");
        b.fill_rect(6, 6, u32::MAX, u32::MAX);
        assert_eq!(b.black_dots(), 4);
        assert_eq!(b.rows(6, 100), [0x03, 0x03]);
        assert!(b.rows(9, 3).is_empty());
    }

    #[test]
    fn pbm_is_header_then_rows() {
        let b = Bitmap::from_gray(3, 2, &[0, 255, 0, 255, 0, 255]).expect("valid");
        assert_eq!(b.to_pbm(), b"P4\n3 2\n\xA0\x40");
    }
}
