//! Printing: where this till prints, raster receipts, pages and tag labels.

use super::*;

/// Where this till prints. receipt_kind: how the receipt printer is reached
/// (null: none set, the system's dialog is used); label_size: the roll's
/// WIDTHxHEIGHT in mm, label_sizes: the common rolls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PrintersView {
    pub receipt: Option<String>,
    pub receipt_kind: Option<ReceiptKind>,
    pub office: Option<String>,
    pub label: Option<String>,
    pub label_size: String,
    pub label_sizes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptKind {
    Network,
    Usb,
    Cups,
}

impl From<zargar_core::store::Printers> for PrintersView {
    fn from(p: zargar_core::store::Printers) -> PrintersView {
        use zargar_core::print::ReceiptPrinter;
        PrintersView {
            receipt_kind: p.receipt.as_ref().map(|r| match r {
                ReceiptPrinter::Network { .. } => ReceiptKind::Network,
                ReceiptPrinter::Usb { .. } => ReceiptKind::Usb,
                ReceiptPrinter::Cups { .. } => ReceiptKind::Cups,
            }),
            receipt: p.receipt.map(|r| r.to_string()),
            office: p.office.map(|t| t.to_string()),
            label: p.label.map(|t| t.to_string()),
            label_size: p.label_size.to_string(),
            label_sizes: zargar_core::label::LabelSize::PRESETS.iter().map(ToString::to_string).collect(),
        }
    }
}

/// The printers as typed in Settings; an empty field means none.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct PrintersInput {
    pub receipt: String,
    pub office: String,
    pub label: String,
    pub label_size: String,
}

/// A receipt drawn by the UI: width × height dots, rows packed 1 bit per
/// dot (MSB first, 1 = black), base64.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct RasterInput {
    pub width: u32,
    pub height: u32,
    pub bits: String,
}

/// A receipt that printed; paper_near_end: the printer said its roll is nearly done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PrintedView {
    pub paper_near_end: bool,
}

/// Where a page goes: the office printer (A5 invoices) or the label printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PagePrinter {
    Office,
    Label,
}

/// Tag labels for printing: each an SVG of width_mm × height_mm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LabelSheetView {
    pub width_mm: u32,
    pub height_mm: u32,
    pub labels: Vec<LabelView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LabelView {
    pub tag: String,
    pub svg: String,
}
