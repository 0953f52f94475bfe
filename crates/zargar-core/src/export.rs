//! Sales exports for accountants and the tax office: one row per sold line
//! and per returned line (as minus its price), so the amounts add up to the
//! day's net. UTF-8 with a byte-order mark, or Excel reads the Persian as
//! mojibake; headers and words (sale/return, yes/no, sync state) in the
//! chosen language; numbers ASCII and unformatted so spreadsheets and
//! scripts read them; the Jalali date beside the UTC instant.

use std::io::Write;

use crate::error::StoreError;
use crate::i18n::{Lang, messages};
use crate::persian;
use crate::store::{EntryKind, ExportRow};
use zargar_wire::PRICED_LINE_COLUMNS;

/// The columns, as message ids (`export-col-<name>`) and in English as the
/// stable names scripts use: the entry, its priced line, then how it stands.
pub fn csv_columns() -> impl Iterator<Item = &'static str> {
    let entry = ["kind", "sale_id", "invoice_no", "return_no", "till", "at", "date_jalali"];
    entry.into_iter().chain(PRICED_LINE_COLUMNS).chain(["returned", "sync_status", "currency"])
}

/// The byte-order mark every export starts with.
pub const BOM: &str = "\u{feff}";

pub fn write_csv(rows: &[ExportRow], lang: Lang, mut out: impl Write) -> Result<(), StoreError> {
    out.write_all(BOM.as_bytes())?;
    let m = messages(lang);
    let word = |id: String| persian::strip_bidi_controls(&m.text(&id));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(csv_columns().map(|c| word(format!("export-col-{}", c.replace('_', "-")))))?;
    for r in rows {
        let kind = match r.kind {
            EntryKind::Sale => "sale",
            EntryKind::Return => "return",
        };
        w.write_record([
            word(format!("export-kind-{kind}")),
            r.sale_id.to_string(),
            r.invoice_no.to_string(),
            r.return_no.map(|n| n.to_string()).unwrap_or_default(),
            r.till.clone(),
            r.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            persian::format_date_short(r.at, Lang::En),
            r.tag.clone(),
            r.name.clone(),
            r.weight.to_string(),
            r.purity.to_string(),
            r.per_gram_18k.to_string(),
            r.gold.to_string(),
            r.wage.to_string(),
            r.profit.to_string(),
            r.vat.to_string(),
            r.stones.to_string(),
            r.total.to_string(),
            word(format!("export-{}", if r.returned { "yes" } else { "no" })),
            word(format!("sync-state-{}", r.sync.code())),
            word("export-currency".to_owned()),
        ])?;
    }
    w.flush()?;
    Ok(())
}
