//! The printed X and Z reports of a shift: what the drawer should hold and
//! why, and, for a Z report, the count, over or short, and the till's grand
//! total. Plain text for terminals and receipt printers, as the invoice.

use std::fmt::Write;

use crate::i18n::messages;
use crate::invoice::Formatter;
use crate::message_id::MessageId;
use crate::persian;
use crate::store::{ShiftReport, ZReport};
use zargar_rules::money::Rial;

const RULE: &str = "----------------------------------------";

/// The X report (`z` none) or the Z report of a shift at `till`.
pub fn render_shift_report(report: &ShiftReport, z: Option<&ZReport>, till: &str, f: Formatter) -> String {
    let m = messages(f.lang);
    let mut out = String::new();
    let at = |t| format!("{} {}", persian::format_date_short(t, f.lang), persian::format_time(t, f.lang));
    let title = match z {
        Some(z) => m.format("shift-z-title", &[("number", f.number(z.z_no.into())), ("till", till.to_owned())]),
        None => m.format("shift-x-title", &[("till", till.to_owned())]),
    };
    let _ = writeln!(out, "{title}");
    let s = &report.shift;
    let by = s.opened_by.as_ref().map_or_else(String::new, |p| p.name.clone());
    let _ = writeln!(out, "{}", m.format("shift-opened", &[("at", at(s.opened_at)), ("by", by)]));
    if let Some(z) = z {
        let by = z.closed_by.as_ref().map_or_else(String::new, |p| p.name.clone());
        let _ = writeln!(out, "{}", m.format("shift-closed", &[("at", at(z.closed_at)), ("by", by)]));
    }
    let float = s.float.map_or_else(|| m.text("shift-float-uncounted"), |r| f.money(r));
    let _ = writeln!(out, "{}: {float}", m.text("shift-float"));
    let _ = writeln!(out, "{RULE}");
    let r = &report.sales;
    let line = |out: &mut String, id: &str, v: String| {
        let _ = writeln!(out, "{}: {v}", m.text(id));
    };
    line(&mut out, "shift-sales", format!("{} · {}", f.number(r.sales.into()), f.money(r.sales_total)));
    line(&mut out, "shift-returns", format!("{} · {}", f.number(r.returns.into()), f.money(r.returns_total)));
    line(&mut out, "shift-discounts", f.money(report.discounts));
    for mt in &r.by_method {
        let method = m.text(&mt.method.message_id());
        let _ = writeln!(out, "  {method}: {}", f.money(mt.net));
    }
    for g in &r.old_gold {
        let _ = writeln!(
            out,
            "{}",
            m.format(
                "shift-old-gold",
                &[("purity", f.purity(g.purity)), ("grams", f.number(g.grams)), ("value", f.money(g.value))]
            )
        );
    }
    line(&mut out, "shift-cash-in", f.money(report.cash_in));
    line(&mut out, "shift-cash-out", f.money(report.cash_out));
    for mv in &report.cash_moves {
        let _ = writeln!(out, "  {} {}: {}", persian::format_time(mv.at, f.lang), mv.reason, f.money(mv.amount));
    }
    line(&mut out, "shift-cash-expected", f.money(report.cash_expected));
    if let Some(z) = z {
        let _ = writeln!(out, "{RULE}");
        for n in &z.counted {
            let _ = writeln!(out, "  {} × {}", f.money(n.note), f.number(n.count.into()));
        }
        line(&mut out, "shift-counted", f.money(z.counted_total));
        let id = if z.over_short.is_negative() { "shift-short" } else { "shift-over" };
        line(&mut out, id, f.money(if z.over_short.is_negative() { Rial::ZERO - z.over_short } else { z.over_short }));
        line(&mut out, "shift-grand-total", f.money(z.grand_total));
    }
    out
}
