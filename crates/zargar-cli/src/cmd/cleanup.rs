//! Remove ops the server acknowledged longer ago than the shop's retention
//! (`zargar cleanup`); the sync engine does it once a day by itself.

use zargar_core::error::Arg;

use crate::{Ctx, Outcome};

pub(crate) fn cleanup(ctx: &Ctx) -> Outcome {
    let mut store = ctx.store()?;
    let c = store.cleanup(ctx.now)?;
    if ctx.json {
        ctx.print_json(&c);
        return Ok(());
    }
    let n = |v: u64| Arg::Number(v.into());
    println!(
        "{}",
        ctx.tf(
            "cli-cleanup-done",
            &[
                ("removed", n(c.removed)),
                ("compacted", n(c.compacted)),
                ("kept", n(c.kept)),
                ("days", n(c.retention_days.into())),
            ]
        )
    );
    Ok(())
}
