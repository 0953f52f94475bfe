//! Sales exports for accountants and the tax office: one row per sold line.
//! Numbers are ASCII and unformatted so spreadsheets and scripts read them;
//! the Jalali date stands beside the UTC instant.

use std::io::Write;

use crate::error::StoreError;
use crate::i18n::Lang;
use crate::persian;
use crate::store::ExportRow;

pub const CSV_HEADER: [&str; 19] = [
    "sale_id",
    "invoice_no",
    "till",
    "sold_at",
    "date_jalali",
    "tag",
    "name",
    "weight",
    "purity",
    "per_gram_18k",
    "gold",
    "wage",
    "profit",
    "vat",
    "stones",
    "total",
    "returned",
    "sync_status",
    "currency",
];

pub fn write_csv(rows: &[ExportRow], out: impl Write) -> Result<(), StoreError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for r in rows {
        w.write_record([
            r.sale_id.to_string(),
            r.invoice_no.to_string(),
            r.till.clone(),
            r.sold_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            persian::format_date_short(r.sold_at, Lang::En),
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
            r.returned.to_string(),
            r.sync.code().to_owned(),
            "IRR".to_owned(),
        ])?;
    }
    w.flush()?;
    Ok(())
}
