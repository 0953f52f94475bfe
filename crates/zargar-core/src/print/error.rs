//! Why a receipt did not print. Each kind has a stable `code()` and a Fluent
//! message `error-<code with dashes>` in `locales/*/errors.ftl`; `Display`
//! is English for logs.

use rust_decimal::Decimal;

use crate::error::{Arg, localize_message};
use crate::i18n::Lang;

/// Everything printing a receipt can fail with.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// Nothing answers at the address: switched off, unplugged, wrong address,
    /// or the connection broke in the middle of the job.
    #[error("the receipt printer {printer} cannot be reached: {detail}")]
    Unreachable { printer: String, detail: String },
    /// The printer answered that it is offline (cover open, an error).
    #[error("the receipt printer {printer} is offline")]
    Offline { printer: String },
    /// The printer answered that its roll is out; nothing was sent to it.
    #[error("the receipt printer {printer} is out of paper")]
    OutOfPaper { printer: String },
    /// The device exists but this user may not write to it.
    #[error("no permission to use the receipt printer {printer}: {detail}")]
    Permission { printer: String, detail: String },
    /// `lp` is missing or refused the job.
    #[error("CUPS did not take the job for {printer}: {detail}")]
    Cups { printer: String, detail: String },
    /// What the owner typed is not an address we can print to.
    #[error("{address:?} is not a receipt printer address")]
    BadAddress { address: String },
    /// The system's print backend did not take a page (the A5 invoice, the
    /// labels): an unknown queue, a folder that cannot be written.
    #[error("the page did not print: {detail}")]
    Page { detail: String },
    /// The image handed to us has an impossible size or buffer.
    #[error("the receipt image is not printable ({width}x{height} dots): {reason}")]
    ImageBad { width: u32, height: u32, reason: &'static str },
}

impl PrintError {
    /// The stable code the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            PrintError::Unreachable { .. } => "printer_unreachable",
            PrintError::Offline { .. } => "printer_offline",
            PrintError::OutOfPaper { .. } => "printer_out_of_paper",
            PrintError::Permission { .. } => "printer_permission",
            PrintError::Cups { .. } => "printer_cups",
            PrintError::BadAddress { .. } => "printer_bad_address",
            PrintError::ImageBad { .. } => "print_image_bad",
            PrintError::Page { .. } => "print_page_failed",
        }
    }

    /// Worth offering "print again" once a person has looked at the printer
    /// (switched it on, loaded paper, closed the cover). An address, a
    /// permission or an image does not get better by trying again.
    pub fn is_retryable(&self) -> bool {
        matches!(self, PrintError::Unreachable { .. } | PrintError::Offline { .. } | PrintError::OutOfPaper { .. })
    }

    /// The Fluent id of the message.
    pub fn message_id(&self) -> String {
        format!("error-{}", self.code().replace('_', "-"))
    }

    pub fn args(&self) -> Vec<(&'static str, Arg)> {
        let text = |s: &str| Arg::Text(s.to_owned());
        match self {
            PrintError::Unreachable { printer, .. }
            | PrintError::Offline { printer }
            | PrintError::OutOfPaper { printer }
            | PrintError::Permission { printer, .. } => vec![("printer", text(printer))],
            PrintError::Cups { printer, detail } => vec![("printer", text(printer)), ("detail", text(detail))],
            PrintError::BadAddress { address } => vec![("address", text(address))],
            PrintError::Page { detail } => vec![("detail", text(detail))],
            PrintError::ImageBad { width, height, .. } => {
                vec![("width", Arg::Number(Decimal::from(*width))), ("height", Arg::Number(Decimal::from(*height)))]
            }
        }
    }

    /// What a person reads, in their language; the detail is for logs.
    pub fn localize(&self, lang: Lang) -> String {
        localize_message(lang, &self.message_id(), &self.args())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::message_ids;

    fn every_kind() -> Vec<PrintError> {
        let p = || "192.168.1.50:9100".to_owned();
        vec![
            PrintError::Unreachable { printer: p(), detail: "refused".into() },
            PrintError::Offline { printer: p() },
            PrintError::OutOfPaper { printer: p() },
            PrintError::Permission { printer: p(), detail: "denied".into() },
            PrintError::Cups { printer: p(), detail: "lp: not found".into() },
            PrintError::BadAddress { address: "x y".into() },
            PrintError::ImageBad { width: 0, height: 1, reason: "empty" },
            PrintError::Page { detail: "no such printer".into() },
        ]
    }

    #[test]
    fn every_error_has_a_message_in_both_languages() {
        for lang in Lang::ALL {
            let ids = message_ids(lang);
            for e in every_kind() {
                assert!(ids.contains(&e.message_id()), "{lang}: {} has no message", e.message_id());
                let text = e.localize(lang);
                assert!(!text.contains("{$"), "{lang}: {} misses an argument: {text}", e.message_id());
            }
        }
    }

    #[test]
    fn only_the_printer_itself_is_worth_retrying() {
        let retryable: Vec<&str> = every_kind().iter().filter(|e| e.is_retryable()).map(|e| e.code()).collect();
        assert_eq!(retryable, ["printer_unreachable", "printer_offline", "printer_out_of_paper"]);
    }
}
