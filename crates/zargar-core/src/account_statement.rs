//! A customer's statement, printed: every movement with its Jalali date,
//! what it was, its Rials and grams, and the balances after it; then where
//! the account stands. Plain text for terminals and receipt printers.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use crate::account::{AccountMove, AccountMoveKind, GoldMg, Receivables, Statement};
use crate::i18n::messages;
use crate::invoice::Formatter;
use crate::message_id::MessageId;
use crate::persian;
use zargar_rules::money::Rial;

const RULE: &str = "----------------------------------------";

fn grams(g: GoldMg, f: Formatter) -> String {
    f.number(g.grams())
}

/// "بدهکار" or "بستانکار" after an amount, so no minus sign is misread.
fn signed(f: Formatter, amount: String, below_zero: bool, zero: bool) -> String {
    let m = messages(f.lang);
    if zero {
        return amount;
    }
    let side = if below_zero { m.text("account-balance-owes") } else { m.text("account-balance-credit") };
    format!("{amount} {side}")
}

fn abs(r: Rial) -> Rial {
    if r.is_negative() { Rial::ZERO - r } else { r }
}

/// What a movement was, in words: its kind, and its invoice, method, gold or price.
pub fn describe(mv: &AccountMove, f: Formatter) -> String {
    let m = messages(f.lang);
    let mut parts = vec![m.text(&mv.kind.message_id())];
    match mv.kind {
        AccountMoveKind::Sale => {
            parts.extend(mv.invoice_no.map(|n| m.format("account-invoice", &[("number", f.number(n.into()))])));
        }
        AccountMoveKind::Refund => {
            parts.extend(mv.invoice_no.map(|n| m.format("account-credit-note", &[("number", f.number(n.into()))])));
        }
        AccountMoveKind::Payment | AccountMoveKind::Payout => {
            parts.extend(mv.method.map(|x| m.text(&x.message_id())));
        }
        AccountMoveKind::GoldIn | AccountMoveKind::GoldOut => {
            if let (Some(w), Some(p)) = (mv.weight, mv.purity) {
                let weight = m.format("weight-gram", &[("weight", f.number(w.decimal()))]);
                parts.push(format!("{weight} {}", f.purity(p)));
            }
        }
        AccountMoveKind::Convert => {
            parts.extend(mv.per_gram_18k.map(|p| m.format("account-price", &[("price", f.money(p))])));
        }
    }
    parts.extend(mv.till.as_ref().map(|t| m.format("account-at-till", &[("till", t.clone())])));
    if !mv.state.counts() || mv.state == crate::account::MoveState::Pending {
        parts.push(format!("({})", m.text(&format!("account-state-{}", mv.state.code()))));
    }
    parts.extend(mv.note.clone());
    parts.join("، ")
}

/// The statement as printed at `at`.
pub fn render_statement(s: &Statement, at: DateTime<Utc>, f: Formatter) -> String {
    let m = messages(f.lang);
    let mut out = String::new();
    let when = |t| format!("{} {}", persian::format_date_short(t, f.lang), persian::format_time(t, f.lang));
    let _ = writeln!(out, "{}", m.format("account-statement-title", &[("customer", s.customer.name.clone())]));
    let digits = |x: String| if f.lang == crate::Lang::Fa { persian::to_persian_digits(&x) } else { x };
    let ids: Vec<String> =
        [s.customer.mobile.as_ref().map(ToString::to_string), s.customer.national_id.as_ref().map(ToString::to_string)]
            .into_iter()
            .flatten()
            .map(digits)
            .collect();
    if !ids.is_empty() {
        let _ = writeln!(out, "{}", ids.join(" · "));
    }
    let _ = writeln!(out, "{}", m.format("account-statement-printed", &[("at", when(at))]));
    let _ =
        writeln!(out, "{}", m.format("account-statement-credit-limit", &[("limit", f.money(s.customer.credit_limit))]));
    let _ = writeln!(out, "{RULE}");
    if s.lines.is_empty() {
        let _ = writeln!(out, "{}", m.text("account-statement-empty"));
    } else {
        let _ = writeln!(out, "{}", m.text("account-statement-header"));
    }
    for line in &s.lines {
        let mv = &line.movement;
        let (debit, credit) = match mv.rial {
            r if r.is_negative() => (f.money(abs(r)), String::new()),
            r if r == Rial::ZERO => (String::new(), String::new()),
            r => (String::new(), f.money(r)),
        };
        let gold = match mv.gold.mg() {
            0 => String::new(),
            g => {
                let word = m.text(if g < 0 { "accounts-gold-out" } else { "accounts-gold-in" });
                format!("{} {word}", grams(GoldMg::from_mg(g.abs()), f))
            }
        };
        let b = line.balance;
        let _ = writeln!(
            out,
            "{} | {} | {debit} | {credit} | {gold} | {} | {}",
            persian::format_date_short(mv.moved_at, f.lang),
            describe(mv, f),
            signed(f, f.money(abs(b.rial)), b.rial.is_negative(), b.rial == Rial::ZERO),
            grams(b.gold, f)
        );
    }
    let _ = writeln!(out, "{RULE}");
    let b = s.balance;
    let rial = signed(f, f.money(abs(b.rial)), b.rial.is_negative(), b.rial == Rial::ZERO);
    let gold = signed(f, grams(GoldMg::from_mg(b.gold.mg().abs()), f), b.gold.mg() < 0, b.gold == GoldMg::ZERO);
    let _ = writeln!(out, "{}: {rial}", m.text("account-balance-rial"));
    let _ = writeln!(out, "{}: {gold}", m.text("account-balance-gold"));
    let _ = writeln!(out, "{}: {}", m.text("account-available"), f.money(s.available.max(Rial::ZERO)));
    if s.in_conflict > 0 {
        let _ = writeln!(out, "{}", m.format("account-in-conflict", &[("count", f.number(s.in_conflict.into()))]));
    }
    out
}

/// The shop's receivables and the gold it holds or is owed, in total.
pub fn render_receivables(r: &Receivables, f: Formatter) -> String {
    let m = messages(f.lang);
    let mut out = String::new();
    let _ = writeln!(out, "{}", m.text("account-receivables-title"));
    let owing = [("count", f.number(r.owing.into())), ("amount", f.money(r.rial_owed))];
    let _ = writeln!(out, "{}", m.format("account-receivables-owing", &owing));
    let _ = writeln!(out, "{}", m.format("account-receivables-credit", &[("amount", f.money(r.rial_credit))]));
    let _ = writeln!(out, "{}", m.format("account-receivables-gold-held", &[("grams", grams(r.gold_held, f))]));
    let _ = writeln!(out, "{}", m.format("account-receivables-gold-owed", &[("grams", grams(r.gold_owed, f))]));
    out
}
