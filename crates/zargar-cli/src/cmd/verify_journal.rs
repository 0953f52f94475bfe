//! Check the sales journal's hash chain (`zargar verify-journal`).

use zargar_core::error::Arg;

use crate::{Ctx, Failure, Outcome};

pub(crate) fn verify_journal(ctx: &Ctx) -> Outcome {
    let store = ctx.store()?;
    match store.verify_journal()? {
        Ok(n) => {
            if ctx.json {
                ctx.print_json(&serde_json::json!({"ok": true, "entries": n}));
            } else {
                println!("{}", ctx.tf("cli-journal-ok", &[("count", Arg::Number(n.into()))]));
            }
            Ok(())
        }
        Err(b) => {
            let msg = ctx.tf(b.message_id(), &[("index", Arg::Number(b.index().into()))]);
            if ctx.json {
                ctx.print_json(&serde_json::json!({"ok": false, "broken_at": b.index(), "message": msg}));
            } else {
                eprintln!("{msg}");
            }
            // A broken chain is a finding: reported above, exit 1.
            Err(Failure::Reported)
        }
    }
}
