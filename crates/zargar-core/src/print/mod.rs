//! Receipt printers: the 80 mm receipt as ESC/POS raster, and how its bytes
//! reach a printer.
//!
//! Why raster: the thermal printers sold in Iran mostly have no Persian font
//! (and none shapes Arabic script), so printing text would give boxes. The
//! app's webview draws the receipt, and the printer is sent its pixels as a
//! 1-bit image ([`Bitmap`]), which any ESC/POS printer prints.
//!
//! Geometry: heads print 8 dots/mm (203 dpi). 80 mm paper has 72 mm
//! printable, 576 dots; 58 mm paper has 48 mm, 384 dots.
//!
//! - [`raster`]: the image, from grey or RGBA pixels;
//! - [`escpos`]: the bytes of a receipt and the status queries (pure);
//! - [`printer`]: where the printer is (network, USB, CUPS) and sending to it.

pub mod error;
pub mod escpos;
pub mod printer;
pub mod raster;
pub mod target;

pub use error::PrintError;
pub use escpos::{Paper, Status};
pub use printer::{PrintOutcome, ReceiptPrinter};
pub use raster::Bitmap;
pub use target::PageTarget;

/// Dots per millimetre of a receipt printer's head (203 dpi).
pub const DOTS_PER_MM: u32 = 8;

/// Printable width of 80 mm paper: 72 mm at 8 dots/mm.
pub const RECEIPT_80MM_DOTS: u32 = 576;

/// Printable width of 58 mm paper: 48 mm at 8 dots/mm.
pub const RECEIPT_58MM_DOTS: u32 = 384;
