//! Where this till prints, chosen once in Settings: the receipt printer
//! (ESC/POS on the network or USB, or a CUPS queue), the office printer for
//! A5 invoices and the label printer (CUPS queues or a PDF folder), and the
//! label roll's size. Each till has its own printers: never synced.

use serde::Serialize;

use super::Store;
use crate::error::StoreError;
use crate::label::LabelSize;
use crate::print::{PageTarget, ReceiptPrinter};

const RECEIPT: &str = "printer_receipt";
const OFFICE: &str = "printer_office";
const LABEL: &str = "printer_label";
const LABEL_SIZE: &str = "label_size";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printers {
    pub receipt: Option<ReceiptPrinter>,
    pub office: Option<PageTarget>,
    pub label: Option<PageTarget>,
    pub label_size: LabelSize,
}

/// The printers as typed; empty means none (the system's dialog is used).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PrintersInput {
    pub receipt: String,
    pub office: String,
    pub label: String,
    pub label_size: String,
}

fn typed(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

impl Store {
    pub fn printers(&self) -> Result<Printers, StoreError> {
        // Stored values were checked when set; one that no longer parses
        // (a newer app's form) reads as none rather than failing the till.
        Ok(Printers {
            receipt: self.pref(RECEIPT)?.and_then(|s| ReceiptPrinter::parse(&s).ok()),
            office: self.pref(OFFICE)?.and_then(|s| PageTarget::parse(&s).ok()),
            label: self.pref(LABEL)?.and_then(|s| PageTarget::parse(&s).ok()),
            label_size: self.pref(LABEL_SIZE)?.and_then(|s| LabelSize::parse(&s).ok()).unwrap_or_default(),
        })
    }

    /// Checks every field first; a bad one is refused and nothing changes.
    pub fn set_printers(&mut self, input: &PrintersInput) -> Result<Printers, StoreError> {
        let receipt = typed(&input.receipt).map(ReceiptPrinter::parse).transpose()?;
        let office = typed(&input.office).map(PageTarget::parse).transpose()?;
        let label = typed(&input.label).map(PageTarget::parse).transpose()?;
        let label_size = typed(&input.label_size).map(LabelSize::parse).transpose()?.unwrap_or_default();
        let text = |v: Option<String>| v.unwrap_or_default();
        self.set_prefs(&[
            (RECEIPT, &text(receipt.as_ref().map(ToString::to_string))),
            (OFFICE, &text(office.as_ref().map(ToString::to_string))),
            (LABEL, &text(label.as_ref().map(ToString::to_string))),
            (LABEL_SIZE, &label_size.to_string()),
        ])?;
        self.printers()
    }
}
