//! Export sold lines as CSV or JSON (`zargar export`).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use zargar_core::error::Arg;
use zargar_core::{StoreError, export};

use crate::{Ctx, Failure, Outcome, days};

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[arg(long, value_parser = ["csv", "json"])]
    format: String,
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    to: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
}

pub(crate) fn export_cmd(ctx: &Ctx, a: &ExportArgs) -> Outcome {
    let store = ctx.store()?;
    let rows = store.export_rows(days(a.from.as_deref(), a.to.as_deref())?)?;
    let mut out: Box<dyn Write> = match &a.output {
        Some(path) => Box::new(create_new(path)?),
        None => Box::new(std::io::stdout().lock()),
    };
    if a.format == "csv" {
        export::write_csv(&rows, ctx.lang, &mut out)?;
    } else {
        serde_json::to_writer_pretty(&mut out, &rows).map_err(|e| StoreError::Io(e.into()))?;
        writeln!(out).map_err(StoreError::from)?;
    }
    out.flush().map_err(StoreError::from)?;
    Ok(())
}

/// Never overwrites an earlier export or backup.
pub(crate) fn create_new(path: &Path) -> Result<std::fs::File, Failure> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|_| Failure::Message("cli-file-unwritable", vec![("file", Arg::Text(path.display().to_string()))]))
}
