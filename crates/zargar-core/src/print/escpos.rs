//! ESC/POS, the command language of receipt printers (Epson's, and the
//! clones sold in Iran): the bytes of a raster receipt, and the real-time
//! status queries with their answers. Pure: no IO here.

use serde::Serialize;

use super::Bitmap;

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const DLE: u8 = 0x10;
const EOT: u8 = 0x04;

/// `ESC @`: initialise the printer (clears the buffer and any mode a previous
/// job left set, such as double width).
pub const INITIALIZE: [u8; 2] = [ESC, b'@'];

/// `DLE EOT 1`: real-time printer status; answered with one byte even while
/// the printer is busy or out of paper.
pub const STATUS_PRINTER: [u8; 3] = [DLE, EOT, 1];

/// `DLE EOT 4`: real-time roll paper sensor status; one byte.
pub const STATUS_PAPER: [u8; 3] = [DLE, EOT, 4];

/// `GS V 66 0`: feed the paper to the cutter and cut it partially (a tab is
/// left, so the receipt does not fall on the floor).
pub const CUT_PARTIAL: [u8; 4] = [GS, b'V', 66, 0];

/// Lines fed after the image (`ESC d n`), so its last rows clear the tear bar
/// on printers without a cutter.
pub const FEED_LINES: u8 = 4;

/// Rows in one `GS v 0` command at most: cheap printers with small buffers
/// drop or garble a tall single raster, so the image goes in bands.
pub const MAX_BAND_ROWS: u32 = 256;

/// The 8-byte header of one `GS v 0` raster band, normal density (m = 0):
/// `1D 76 30 00 xL xH yL yH`, x in bytes per row, y in rows.
pub fn raster_header(row_bytes: u16, rows: u16) -> [u8; 8] {
    let [xl, xh] = row_bytes.to_le_bytes();
    let [yl, yh] = rows.to_le_bytes();
    [GS, b'v', b'0', 0, xl, xh, yl, yh]
}

/// A whole receipt job: initialise, the image in bands, feed, and a partial
/// cut when `cut` (for printers with a cutter).
pub fn receipt(bitmap: &Bitmap, cut: bool) -> Vec<u8> {
    let row_bytes = bitmap.row_bytes();
    let bands = bitmap.height().div_ceil(MAX_BAND_ROWS) as usize;
    let mut out = Vec::with_capacity(bitmap.packed().len() + bands * 8 + 16);
    out.extend_from_slice(&INITIALIZE);
    // A Bitmap is at most 104 bytes wide, and a band at most 256 rows: both fit u16.
    let x = u16::try_from(row_bytes).unwrap_or(u16::MAX);
    let mut top = 0;
    while top < bitmap.height() {
        let bottom = top.saturating_add(MAX_BAND_ROWS).min(bitmap.height());
        let rows = u16::try_from(bottom - top).unwrap_or(u16::MAX);
        out.extend_from_slice(&raster_header(x, rows));
        out.extend_from_slice(bitmap.rows(top, bottom));
        top = bottom;
    }
    // ESC d n: print what is buffered and feed n lines.
    out.extend_from_slice(&[ESC, b'd', FEED_LINES]);
    if cut {
        out.extend_from_slice(&CUT_PARTIAL);
    }
    out
}

zargar_wire::coded! {
    /// What the roll paper sensor says.
    pub enum Paper {
        Present = "present",
        /// The near-end sensor sees the roll's core: a few metres are left.
        NearEnd = "near_end",
        Out = "out",
    }
}

/// What a printer said about itself; `None` where it did not answer (many
/// printers never do, and USB and CUPS give us no way to ask).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Status {
    pub online: Option<bool>,
    pub paper: Option<Paper>,
}

/// Every `DLE EOT` answer has bit 1 and bit 4 set and bits 0 and 7 clear;
/// anything else is not a status byte (noise, or an automatic status block).
fn is_status_byte(b: u8) -> bool {
    b & 0b1001_0011 == 0b0001_0010
}

/// The answer to `DLE EOT 1`: online or not (bit 3 set = offline).
pub fn parse_printer_status(b: u8) -> Option<bool> {
    is_status_byte(b).then_some(b & 0x08 == 0)
}

/// The answer to `DLE EOT 4`: paper end is bits 5–6 (0x60), near end bits
/// 2–3 (0x0C). Out wins over near end.
pub fn parse_paper_status(b: u8) -> Option<Paper> {
    if !is_status_byte(b) {
        return None;
    }
    Some(if b & 0x60 != 0 {
        Paper::Out
    } else if b & 0x0C != 0 {
        Paper::NearEnd
    } else {
        Paper::Present
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bitmap(width: u32, height: u32) -> Bitmap {
        let mut b = Bitmap::white(width, height).expect("valid");
        b.fill_rect(0, 0, 3, 1);
        b.fill_rect(width - 1, height - 1, 1, 1);
        b
    }

    #[test]
    fn small_receipt_bytes_are_exact() {
        let b = bitmap(16, 2);
        let bytes = receipt(&b, true);
        let want: Vec<u8> = [
            &[0x1B, 0x40][..],                                 // ESC @
            &[0x1D, 0x76, 0x30, 0x00, 0x02, 0x00, 0x02, 0x00], // GS v 0, 2 bytes × 2 rows
            &[0xE0, 0x00, 0x00, 0x01],                         // the rows
            &[0x1B, 0x64, FEED_LINES],                         // ESC d 4
            &[0x1D, 0x56, 0x42, 0x00],                         // GS V 66 0
        ]
        .concat();
        assert_eq!(bytes, want);
        assert!(!receipt(&b, false).ends_with(&CUT_PARTIAL));
        assert!(receipt(&b, false).ends_with(&[0x1B, 0x64, FEED_LINES]));
    }

    #[test]
    fn width_in_bytes_rounds_up() {
        let bytes = receipt(&bitmap(9, 1), false);
        assert_eq!(&bytes[2..10], &[0x1D, 0x76, 0x30, 0x00, 2, 0, 1, 0]);
        assert_eq!(raster_header(72, 300), [0x1D, 0x76, 0x30, 0x00, 72, 0, 0x2C, 0x01]);
    }

    #[test]
    fn tall_images_go_in_bands_of_at_most_256_rows() {
        let b = bitmap(576, 600);
        let bytes = receipt(&b, true);
        let mut at = INITIALIZE.len();
        let mut heights = Vec::new();
        let mut image = Vec::new();
        while bytes.get(at..at + 4) == Some(&[0x1D, 0x76, 0x30, 0x00][..]) {
            let x = usize::from(u16::from_le_bytes([bytes[at + 4], bytes[at + 5]]));
            let y = usize::from(u16::from_le_bytes([bytes[at + 6], bytes[at + 7]]));
            assert_eq!(x, 72);
            heights.push(y);
            image.extend_from_slice(&bytes[at + 8..at + 8 + x * y]);
            at += 8 + x * y;
        }
        assert_eq!(heights, [256, 256, 88]);
        assert_eq!(image, b.packed());
        assert_eq!(&bytes[at..], &[0x1B, 0x64, FEED_LINES, 0x1D, 0x56, 0x42, 0x00]);
    }

    #[test]
    fn exactly_one_band_at_the_limit() {
        let bytes = receipt(&bitmap(8, MAX_BAND_ROWS), false);
        assert_eq!(bytes.len(), 2 + 8 + 256 + 3);
        assert_eq!(&bytes[8..10], &[0x00, 0x01]);
    }

    #[test]
    fn status_queries_are_dle_eot() {
        assert_eq!(STATUS_PRINTER, [0x10, 0x04, 0x01]);
        assert_eq!(STATUS_PAPER, [0x10, 0x04, 0x04]);
    }

    #[test]
    fn printer_status_answers() {
        assert_eq!(parse_printer_status(0x16), Some(true));
        assert_eq!(parse_printer_status(0x12), Some(true));
        assert_eq!(parse_printer_status(0x1E), Some(false));
        assert_eq!(parse_printer_status(0x00), None, "fixed bits missing");
        assert_eq!(parse_printer_status(0x93), None, "fixed bits wrong");
    }

    #[test]
    fn paper_status_answers() {
        assert_eq!(parse_paper_status(0x12), Some(Paper::Present));
        assert_eq!(parse_paper_status(0x1E), Some(Paper::NearEnd));
        assert_eq!(parse_paper_status(0x72), Some(Paper::Out));
        assert_eq!(parse_paper_status(0x7E), Some(Paper::Out));
        assert_eq!(parse_paper_status(0xFF), None);
    }
}
