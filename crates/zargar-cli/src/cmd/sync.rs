//! `zargar enroll`, `sync`, `conflicts` and `simulate`: the till's link to
//! its shop's server, driven from the command line.

use std::io::Write;
use std::time::Duration;
use zargar_core::message_id::MessageId;

use clap::{Args, Subcommand};
use serde::Serialize;
use uuid::Uuid;
use zargar_core::error::Arg;
use zargar_core::item::NewItemInput;
use zargar_core::sale::{PaymentInput, SaleRequest};
use zargar_core::store::{ResolveRequest, SaleEdit, TillConflict};
use zargar_core::sync::{self, EngineState, Phase, RoundProgress, SyncConfig, SyncEngine, SyncError, SyncStatus};
use zargar_core::wire::Resolution;
use zargar_core::{Field, StoreError, ValidationError};

use crate::{Ctx, Failure, Outcome, report};

#[derive(Debug, Args)]
pub(crate) struct EnrollArgs {
    /// The shop's server, e.g. http://127.0.0.1:8080
    #[arg(long)]
    server: String,
    /// The one-time code from `zargar-server device enroll`.
    #[arg(long)]
    code: String,
}

#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// Keep running: sync in the background and print each change of state
    /// (one JSON object per line with --json) until interrupted.
    #[arg(long)]
    watch: bool,
    /// With --watch: seconds between rounds when nothing happens.
    #[arg(long, default_value_t = 60)]
    interval: u64,
    /// Ops per push (at most the server's 500).
    #[arg(long, default_value_t = 500)]
    batch: usize,
    /// With --watch: do not hold the server's change-notice stream; learn
    /// of other tills' sales at each round only.
    #[arg(long)]
    no_live: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConflictsCmd {
    /// Conflicts of the shop waiting for the owner (all, with --all).
    List {
        #[arg(long)]
        all: bool,
    },
    /// Settle a conflict; the decision syncs like a sale and is audited.
    Resolve(ResolveArgs),
    /// What a resubmit with pieces swapped would change in what is due.
    Preview {
        op: String,
        /// OLD=NEW, as for resolve.
        #[arg(long)]
        replace: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ResolveArgs {
    /// The op in conflict (its id, as `conflicts list` shows).
    op: String,
    /// accept (keep the sale as made; needs --reason), void (cancel it),
    /// resubmit (edit it: --replace, --pay) or retry (check it again).
    #[arg(long, value_parser = ["accept", "void", "resubmit", "retry"])]
    resolution: String,
    /// Who decides: kept with the decision and in the server's audit log.
    #[arg(long = "by")]
    resolved_by: String,
    #[arg(long)]
    reason: Option<String>,
    /// OLD=NEW: sell the piece NEW (tag or barcode) in place of OLD.
    #[arg(long)]
    replace: Vec<String>,
    /// METHOD=AMOUNT: new payments for the edited sale (default: as before).
    #[arg(long = "pay")]
    payments: Vec<String>,
    /// When the edit changes what is due: how the difference was settled,
    /// `collected=METHOD` or `refunded=METHOD`, for the exact difference
    /// (`conflicts preview` shows it).
    #[arg(long)]
    settle: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct SimulateArgs {
    /// How many sales to record (each tags a new piece and sells it, one
    /// transaction per sale, exactly as at the counter).
    #[arg(long)]
    sales: u64,
    /// Tag prefix of the simulated pieces.
    #[arg(long, default_value = "SIM")]
    prefix: String,
}

impl From<SyncError> for Failure {
    fn from(e: SyncError) -> Failure {
        Failure::Sync(e)
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Failure::Store(e.into()))
}

pub(crate) fn enroll(ctx: &Ctx, a: &EnrollArgs) -> Outcome {
    ctx.store()?;
    let tenant = runtime()?.block_on(sync::enroll(&ctx.db_path(), &a.server, &a.code, &SyncConfig::default()))?;
    if ctx.json {
        ctx.print_json(&serde_json::json!({"enrolled": true, "shop": tenant}));
    } else {
        println!("{}", ctx.tf("cli-enroll-done", &[("shop", Arg::Text(tenant.name))]));
    }
    Ok(())
}

/// Peak resident memory of this process, for load tests (Linux only).
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

pub(crate) fn sync_cmd(ctx: &Ctx, a: &SyncArgs) -> Outcome {
    ctx.store()?;
    let interval = Duration::from_secs(a.interval.max(1));
    let defaults = SyncConfig::default();
    let config = SyncConfig {
        interval,
        live: !a.no_live,
        live_interval: interval.max(defaults.live_interval),
        batch_ops: a.batch.clamp(1, zargar_core::wire::MAX_OPS_PER_PUSH),
        ..defaults
    };
    let rt = runtime()?;
    if a.watch {
        return rt.block_on(watch(ctx, config));
    }
    let json = ctx.json;
    let lang = ctx.lang;
    // A progress line only for a person watching; scripts get the summary.
    let live = !json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let progress = move |p: RoundProgress| {
        if live {
            let line = match p.phase {
                Phase::Push => crate::localize(
                    lang,
                    "cli-sync-pushing",
                    &[("done", Arg::Number(p.pushed.into())), ("total", Arg::Number(p.to_push.into()))],
                ),
                Phase::Pull => crate::localize(lang, "cli-sync-pulling", &[("count", Arg::Number(p.pulled.into()))]),
            };
            eprint!("\r{line}\x1b[K");
            let _ = std::io::stderr().flush();
        }
    };
    let result = rt.block_on(sync::sync_once(&ctx.db_path(), &config, &progress));
    if live {
        eprintln!();
    }
    let r = result?;
    if json {
        ctx.print_json(&serde_json::json!({"ok": true, "round": r, "peak_rss_bytes": peak_rss_bytes()}));
    } else {
        report(
            ctx,
            "cli-sync-done",
            &[
                ("applied", Arg::Number(r.applied.into())),
                ("conflicts", Arg::Number(r.conflicts.into())),
                ("pulled", Arg::Number(r.pulled.into())),
            ],
        );
    }
    Ok(())
}

/// The status line of `sync --watch`.
#[derive(Serialize)]
struct WatchLine<'a> {
    #[serde(flatten)]
    status: &'a SyncStatus,
}

async fn watch(ctx: &Ctx, config: SyncConfig) -> Outcome {
    let handle = SyncEngine::start(&ctx.db_path(), config)?;
    let mut updates = handle.subscribe();
    let mut last: Option<(EngineState, u64, u64, Option<RoundProgress>, bool)> = None;
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| Failure::Store(e.into()))?;
    loop {
        let status = updates.borrow_and_update().clone();
        let key = (status.state, status.pending, status.open_conflicts, status.progress, status.live);
        if last != Some(key) {
            last = Some(key);
            if ctx.json {
                ctx.print_json_line(&WatchLine { status: &status });
            } else {
                println!("{}", status_line(ctx, &status));
            }
            let _ = std::io::stdout().flush();
        }
        tokio::select! {
            changed = updates.changed() => if changed.is_err() { break },
            _ = tokio::signal::ctrl_c() => break,
            _ = term.recv() => break,
        }
    }
    handle.shutdown().await;
    Ok(())
}

fn status_line(ctx: &Ctx, s: &SyncStatus) -> String {
    let state = ctx.t(&s.state.message_id());
    let mut line = ctx.tf(
        "cli-sync-watch",
        &[
            ("state", Arg::Text(state)),
            ("pending", Arg::Number(s.pending.into())),
            ("conflicts", Arg::Number(s.open_conflicts.into())),
        ],
    );
    if let Some(p) = s.progress {
        line.push_str(&format!(" · {}/{}", p.pushed, p.to_push));
    }
    if let Some(e) = &s.last_error
        && s.state != EngineState::Idle
    {
        line.push_str(&format!(" · {}", ctx.t(&format!("error-{}", e.code.replace('_', "-")))));
    }
    line
}

pub(crate) fn conflicts(ctx: &Ctx, cmd: ConflictsCmd) -> Outcome {
    match cmd {
        ConflictsCmd::List { all } => {
            let store = ctx.store()?;
            let list = store.conflicts(all)?;
            if ctx.json {
                ctx.print_json(&list);
            } else if list.is_empty() {
                println!("{}", ctx.t("cli-conflicts-none"));
            } else {
                for c in &list {
                    print_conflict(ctx, c);
                }
            }
            Ok(())
        }
        ConflictsCmd::Resolve(a) => resolve(ctx, &a),
        ConflictsCmd::Preview { op, replace } => {
            let op_id = Uuid::parse_str(op.trim()).map_err(|_| StoreError::ConflictNotFound(op.clone()))?;
            let replace = swaps(&replace)?;
            let mut store = ctx.store()?;
            let p = store.preview_resubmit(op_id, &replace)?;
            if ctx.json {
                ctx.print_json(&p);
            } else {
                let f = ctx.formatter(&store)?;
                let args = [
                    ("old", Arg::Text(f.money(p.old_due))),
                    ("new", Arg::Text(f.money(p.new_due))),
                    ("difference", Arg::Text(f.money(p.difference))),
                ];
                println!("{}", ctx.tf("cli-resubmit-preview", &args));
            }
            Ok(())
        }
    }
}

fn print_conflict(ctx: &Ctx, c: &TillConflict) {
    let kind = ctx.t(&c.conflict.message_key);
    let till = c.device_name.clone().unwrap_or_else(|| c.device_id.to_string());
    let state = if c.open { ctx.t("cli-conflict-open") } else { ctx.t("cli-conflict-settled") };
    println!("{}  {}  [{}]  {}", c.op_id, kind, till, state);
    if let Some(sale) = &c.local_sale {
        let tags: Vec<&str> = sale.lines.iter().map(|l| l.tag.as_str()).collect();
        println!(
            "    {}",
            ctx.tf(
                "cli-conflict-local-sale",
                &[("number", Arg::Number(sale.invoice_no.into())), ("tags", Arg::Text(tags.join(", ")))]
            )
        );
    }
    if let Some(tag) = &c.conflict.server_state.tag {
        println!("    {}", ctx.tf("cli-conflict-server-item", &[("tag", Arg::Text(tag.clone()))]));
    }
    for p in &c.conflict.server_state.problems {
        println!("    {p}");
    }
    let options: Vec<String> = c.conflict.options.iter().map(|o| ctx.t(&o.message_id())).collect();
    println!("    {}", ctx.tf("cli-conflict-options", &[("options", Arg::Text(options.join(" / ")))]));
    if let Some(r) = &c.resolution {
        println!(
            "    {}",
            ctx.tf(
                "cli-conflict-resolved",
                &[("resolution", Arg::Message(r.resolution.message_id())), ("by", Arg::Text(r.resolved_by.clone())),]
            )
        );
    }
    if let Some(why) = &c.last_refusal {
        println!("    {}", ctx.tf("cli-conflict-refused", &[("reason", Arg::Text(why.clone()))]));
    }
}

/// `OLD=NEW` pairs of pieces swapped in an edited sale.
fn swaps(pairs: &[String]) -> Result<Vec<(String, String)>, ValidationError> {
    pairs
        .iter()
        .map(|r| {
            let (old, new) = r.split_once('=').ok_or_else(|| ValidationError::new(Field::Tag, r))?;
            Ok((old.trim().to_owned(), new.trim().to_owned()))
        })
        .collect()
}

fn resolve(ctx: &Ctx, a: &ResolveArgs) -> Outcome {
    let op_id = Uuid::parse_str(a.op.trim()).map_err(|_| StoreError::ConflictNotFound(a.op.clone()))?;
    let resolution = match a.resolution.as_str() {
        "accept" => Resolution::Accept,
        "void" => Resolution::Void,
        "resubmit" => Resolution::Resubmit,
        _ => Resolution::Retry,
    };
    let replace = swaps(&a.replace)?;
    let payments = if a.payments.is_empty() {
        None
    } else {
        Some(a.payments.iter().map(|p| PaymentInput::parse(p)).collect::<Result<Vec<_>, _>>()?)
    };
    let mut store = ctx.store()?;
    let due_change = match a.settle.as_deref() {
        None => None,
        Some(how) => {
            let (way, method) = how.split_once('=').ok_or_else(|| ValidationError::new(Field::Payment, how))?;
            let method = zargar_core::sale::parse_payment_method(method)?;
            let difference = store.preview_resubmit(op_id, &replace)?.difference;
            let collected = match way.trim() {
                "collected" => true,
                "refunded" => false,
                _ => return Err(ValidationError::new(Field::Payment, how).into()),
            };
            // The way must match the sign: a refund of a rise is a mistake.
            if collected == difference.is_negative() {
                return Err(StoreError::DueChangeUnsettled { difference }.into());
            }
            Some(zargar_core::store::DueChange { amount: difference.decimal(), method })
        }
    };
    let edit = (resolution == Resolution::Resubmit).then_some(SaleEdit { replace, payments, due_change });
    let req = ResolveRequest { op_id, resolution, resolved_by: a.resolved_by.clone(), reason: a.reason.clone(), edit };
    let queued = store.resolve_conflict(&req, ctx.now)?;
    if ctx.json {
        ctx.print_json(
            &serde_json::json!({"queued": true, "op_id": queued.op_id, "seq": queued.seq, "sale": queued.sale}),
        );
    } else {
        println!("{}", ctx.t("cli-conflict-queued"));
    }
    Ok(())
}

pub(crate) fn simulate(ctx: &Ctx, a: &SimulateArgs) -> Outcome {
    let mut store = ctx.store()?;
    let stamp = Uuid::now_v7().simple().to_string();
    let mut total = rust_decimal::Decimal::ZERO;
    for n in 0..a.sales {
        let tag = format!("{}-{}-{n}", a.prefix, &stamp[stamp.len() - 8..]);
        let input = NewItemInput {
            tag: tag.clone(),
            name: format!("simulated ring {n}"),
            weight: format!("{}.{:03}", 2 + n % 9, (n * 37) % 1000),
            purity: "750".into(),
            wage_percent: Some(format!("{}", 10 + n % 15)),
            ..NewItemInput::default()
        };
        store.add_item(&input.parse()?, chrono::Utc::now())?;
        let quote =
            store.quote_sale(&SaleRequest { items: vec![tag.clone()], ..SaleRequest::default() }, chrono::Utc::now());
        let due = match quote {
            Ok(q) => q.totals.due,
            Err(StoreError::Settle(zargar_core::error::SettleError::PaymentsShort { due, .. })) => due,
            Err(e) => return Err(e.into()),
        };
        let pay = PaymentInput { method: zargar_core::sale::PaymentMethod::Cash, amount: due };
        let sale = store.record_sale(
            &SaleRequest { items: vec![tag], payments: vec![pay], ..SaleRequest::default() },
            chrono::Utc::now(),
        )?;
        total += sale.sale.totals.total.decimal();
    }
    if ctx.json {
        ctx.print_json(&serde_json::json!({"sales": a.sales, "total": total}));
    } else {
        println!("{}", ctx.tf("cli-simulate-done", &[("count", Arg::Number(a.sales.into()))]));
    }
    Ok(())
}

impl Failure {
    pub(crate) fn sync_parts(e: &SyncError, ctx: &Ctx) -> (&'static str, String, bool) {
        let internal = matches!(e, SyncError::Store(s) if !s.is_refusal()) || matches!(e, SyncError::Protocol(_));
        (e.code(), e.localize(ctx.lang), internal)
    }
}
