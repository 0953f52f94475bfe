//! The drawer's shift (`zargar shift`): open it with the float counted,
//! move cash in and out with a reason, print the X report, close it with
//! the cash counted by note and print the Z report; reprint a Z report.

use clap::Subcommand;
use zargar_core::error::Arg;
use zargar_core::rules::money::Rial;
use zargar_core::shift_report::render_shift_report;
use zargar_core::store::NoteCount;
use zargar_core::{Field, ParseInput, ValidationError};

use crate::{Ctx, Outcome, parse_count, report};

#[derive(Debug, Subcommand)]
pub(crate) enum ShiftCmd {
    /// Open a shift with the float counted in the drawer (Rials); without
    /// it, the float is recorded as not counted.
    Open {
        #[arg(long)]
        float: Option<String>,
    },
    /// Put cash into the drawer (in) or take it out (out), with the reason.
    Cash {
        #[arg(value_parser = ["in", "out"])]
        direction: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        reason: String,
    },
    /// The X report of the open shift: what the drawer should hold, and why.
    X,
    /// Close the shift with the cash counted: NOTE=COUNT for each note
    /// (1000000=12), and print its Z report.
    Close {
        #[arg(long = "count")]
        counts: Vec<String>,
    },
    /// Print a Z report again (the last one when no number is given).
    Z {
        #[arg(long)]
        number: Option<String>,
    },
}

fn note_count(s: &str) -> Result<NoteCount, ValidationError> {
    let (note, count) = s.split_once(['=', 'x', '×']).ok_or_else(|| ValidationError::new(Field::Amount, s))?;
    let note = Rial::parse(Field::Amount, note)?;
    let count =
        u32::try_from(parse_count(Field::Amount, count)?).map_err(|_| ValidationError::new(Field::Amount, s))?;
    Ok(NoteCount { note, count })
}

pub(crate) fn shift(ctx: &Ctx, cmd: ShiftCmd) -> Outcome {
    let mut store = ctx.store()?;
    let till = store.device()?.name.clone();
    match cmd {
        ShiftCmd::Open { float } => {
            let float = float.as_deref().map(|f| Rial::parse(Field::Amount, f)).transpose()?;
            let shift = store.open_shift(float, ctx.now)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "shift": shift }));
            } else {
                report(ctx, "cli-shift-opened", &[]);
            }
        }
        ShiftCmd::Cash { direction, amount, reason } => {
            let amount = Rial::parse(Field::Amount, &amount)?;
            let signed = if direction == "out" { Rial::ZERO - amount } else { amount };
            let moved = store.move_cash(signed, &reason, ctx.now)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "cash_move": moved }));
            } else {
                report(ctx, "cli-shift-cash-moved", &[("amount", Arg::Money(moved.amount))]);
            }
        }
        ShiftCmd::X => {
            let x = store.x_report()?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "x_report": x }));
            } else {
                print!("{}", render_shift_report(&x, None, &till, ctx.formatter(&store)?));
            }
        }
        ShiftCmd::Close { counts } => {
            let counted = counts.iter().map(|c| note_count(c)).collect::<Result<Vec<_>, _>>()?;
            let z = store.close_shift(&counted, ctx.now)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "saved": true, "z_report": z }));
            } else {
                print!("{}", render_shift_report(&z.report, Some(&z), &till, ctx.formatter(&store)?));
            }
        }
        ShiftCmd::Z { number } => {
            let wanted = number.as_deref().map(|n| parse_count(Field::Amount, n)).transpose()?;
            // The last one first: a shop closes a shift or two a day.
            let all = store.z_reports(u32::MAX)?;
            let z = match wanted {
                Some(no) => all.into_iter().find(|z| z.z_no == no),
                None => all.into_iter().next(),
            }
            .ok_or_else(|| zargar_core::StoreError::ZReportNotFound(number.unwrap_or_default()))?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "z_report": z }));
            } else {
                print!("{}", render_shift_report(&z.report, Some(&z), &till, ctx.formatter(&store)?));
            }
        }
    }
    Ok(())
}
