//! Copy the live database to a file (`zargar backup`).

use std::path::Path;

use crate::{Ctx, Outcome, report};
use zargar_core::error::Arg;

pub(crate) fn backup(ctx: &Ctx, file: &Path) -> Outcome {
    let store = ctx.store()?;
    store.backup(file)?;
    report(ctx, "cli-backup-done", &[("file", Arg::Text(file.display().to_string()))]);
    Ok(())
}
