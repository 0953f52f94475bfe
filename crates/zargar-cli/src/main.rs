//! `zargar`: the headless Zargar POS till, for IT, scripts and load tests.
//! A thin shell: parse the command line, call `zargar-core`, print the
//! result in the chosen language or as JSON.
//!
//! Exit codes: 0 success, 1 refused (the reason is printed in the chosen
//! language; nothing was written), 2 usage error.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod label_cmd;
mod printer_cmd;
mod sync_cmd;
mod verify_bundle;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use zargar_core::ParseInput;
use zargar_core::error::{Arg, localize_message};
use zargar_core::gold_price::{NewPrice, PriceEntry};
use zargar_core::i18n::messages;
use zargar_core::invoice::{self, Formatter};
use zargar_core::item::{ItemStatus, NewItemInput};
use zargar_core::money::{Percent, Rial};
use zargar_core::pricing::{self, Piece, Rates, WageRate};
use zargar_core::sale::{PaymentInput, SaleRequest, TradeInInput, parse_payment_method};
use zargar_core::store::{EntryKind, ItemFilter, ReturnRequest, SettingKey, TimeSpan, Warning};
use zargar_core::{Field, Lang, Store, StoreError, ValidationError, customer, export, measure, persian};

#[derive(Debug, Parser)]
#[command(name = "zargar", version, about = "Zargar POS: the headless till")]
struct Cli {
    /// Where the till keeps its database (default: $ZARGAR_DATA_DIR, or
    /// $XDG_DATA_HOME/zargar, or ~/.local/share/zargar).
    #[arg(long, global = true, env = "ZARGAR_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Language of messages and invoices.
    #[arg(long, global = true, default_value = "fa", value_parser = ["fa", "en"])]
    lang: String,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Set this till up (once).
    Init {
        #[arg(long)]
        device_name: String,
    },
    /// The day's gold price.
    #[command(subcommand)]
    Price(PriceCmd),
    /// Inventory.
    #[command(subcommand)]
    Item(ItemCmd),
    /// Registered customers.
    #[command(subcommand)]
    Customer(CustomerCmd),
    /// Price a piece without a store.
    Quote(QuoteArgs),
    /// Record a sale and print its invoice (after it is saved).
    Sell(SellArgs),
    /// Take pieces of a sale back.
    Return(ReturnArgs),
    /// Reprint the invoice of a sale.
    Invoice { number: String },
    /// Recorded sales.
    #[command(subcommand)]
    Sales(SalesCmd),
    /// Export sold lines as CSV or JSON.
    Export(ExportArgs),
    /// Copy the live database to FILE (SQLite online backup).
    Backup { file: PathBuf },
    /// Pending outbox, oldest pending sale, gold price age.
    Status,
    /// Check the sales journal's hash chain; names the first broken link.
    VerifyJournal,
    /// The shop's settings on this till.
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Link this till to its shop's server with a one-time code.
    Enroll(sync_cmd::EnrollArgs),
    /// Send the outbox to the server and fetch the shop's changes.
    Sync(sync_cmd::SyncArgs),
    /// Conflicts the server found (two tills sold one piece…).
    #[command(subcommand)]
    Conflicts(sync_cmd::ConflictsCmd),
    /// Load test: tag and sell N pieces here, one sale per transaction.
    Simulate(sync_cmd::SimulateArgs),
    /// The owner of this till: name and PIN (IT presets it before the app's first start).
    #[command(subcommand)]
    Owner(OwnerCmd),
    /// Before installing: does FILE match our release signature (minisign or
    /// Tauri's signer format)? For SHA256SUMS, also the files it lists.
    VerifyBundle(verify_bundle::VerifyBundleArgs),
    /// Check a fleet preset before rolling it out, and show what it sets
    /// (default: $ZARGAR_PRESET, else /etc/zargar/pos.toml).
    Preset { file: Option<PathBuf> },
    /// Tag labels (اتیکت) as SVG: name, weight, purity, wage and a barcode
    /// that scans back to the piece; one file, or a folder of TAG.svg.
    Label(label_cmd::LabelArgs),
    /// Receipt printers: print a test page, or ask whether one is online and
    /// has paper. ADDRESS as in Settings: 192.168.1.50[:9100], /dev/usb/lp0, cups:NAME.
    #[command(subcommand)]
    Printer(printer_cmd::PrinterCmd),
}

#[derive(Debug, Subcommand)]
enum OwnerCmd {
    /// Set the owner's name and PIN (4–8 digits); changing it needs the current PIN.
    Set {
        #[arg(long)]
        name: String,
        #[arg(long)]
        pin: String,
        #[arg(long)]
        current_pin: Option<String>,
    },
    Show,
}

#[derive(Debug, Subcommand)]
enum PriceCmd {
    /// Set today's price: Rial per gram of 18k, or the mesghal quote.
    #[command(allow_negative_numbers = true)]
    Set {
        #[arg(required_unless_present = "mazaneh", conflicts_with = "mazaneh")]
        rial: Option<String>,
        #[arg(long)]
        mazaneh: Option<String>,
        /// The shop's price: sent to every till, and the server judges sales
        /// by it (as when the owner sets it in the app). Without it the price
        /// is this till's own.
        #[arg(long)]
        shop: bool,
        /// Who sets it (with --shop); the till's owner by default.
        #[arg(long, requires = "shop")]
        by: Option<String>,
    },
    Show,
    History {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
}

#[derive(Debug, Args)]
#[group(id = "wage", required = true, multiple = false)]
struct WageArgs {
    #[arg(long, group = "wage")]
    wage_percent: Option<String>,
    #[arg(long, group = "wage")]
    wage_per_gram: Option<String>,
}

#[derive(Debug, Subcommand)]
enum ItemCmd {
    // Negative numbers are values (refused with a clear reason), not flags.
    #[command(allow_negative_numbers = true)]
    Add {
        #[arg(long)]
        tag: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        weight: String,
        #[arg(long)]
        purity: String,
        #[command(flatten)]
        wage: WageArgs,
        #[arg(long)]
        barcode: Option<String>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        stones: Option<String>,
    },
    /// CSV with a header: tag,name,weight,purity,wage_percent,wage_per_gram,barcode,category,stones
    Import {
        file: PathBuf,
    },
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
    },
    Show {
        code: String,
    },
    /// Put a piece in stock, on hold (reserved), in repair, or returned.
    Status {
        code: String,
        status: String,
    },
}

#[derive(Debug, Subcommand)]
enum CustomerCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        mobile: Option<String>,
        #[arg(long)]
        national_id: Option<String>,
    },
    List {
        #[arg(long, default_value = "")]
        search: String,
    },
}

#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
struct QuoteArgs {
    #[arg(long)]
    gold_price: String,
    #[arg(long)]
    weight: String,
    #[arg(long)]
    purity: String,
    #[command(flatten)]
    wage: WageArgs,
    #[arg(long, default_value = "7")]
    profit_percent: String,
    #[arg(long, default_value = "10")]
    vat_percent: String,
    #[arg(long)]
    stones: Option<String>,
}

#[derive(Debug, Args)]
struct SellArgs {
    /// Tag or barcode; repeat for several pieces.
    #[arg(long = "item", required = true)]
    items: Vec<String>,
    /// Customer id, mobile or national id; walk-in when absent.
    #[arg(long)]
    customer: Option<String>,
    /// METHOD=AMOUNT (cash, card, transfer, cheque); repeat to mix.
    #[arg(long = "pay")]
    payments: Vec<String>,
    /// WEIGHT,PURITY[,DEDUCTION%]: old gold netted on the invoice.
    #[arg(long = "trade-in")]
    trade_ins: Vec<String>,
    /// Overrides the shop's profit percentage for this sale.
    #[arg(long)]
    profit_percent: Option<String>,
    /// An exchange: the invoice whose pieces come back in this sale; their
    /// value pays it first.
    #[arg(long)]
    exchange_invoice: Option<String>,
    /// Tags of that invoice coming back; all its pieces when absent.
    #[arg(long = "exchange-item", requires = "exchange_invoice")]
    exchange_items: Vec<String>,
    /// When the pieces coming back are worth more: METHOD=AMOUNT given back
    /// (cash first, then how the invoice was paid, when absent).
    #[arg(long = "refund", requires = "exchange_invoice")]
    refunds: Vec<String>,
}

#[derive(Debug, Args)]
struct ReturnArgs {
    #[arg(long)]
    invoice: String,
    /// Tags to return; all pieces of the invoice when absent.
    #[arg(long = "item")]
    items: Vec<String>,
    /// METHOD=AMOUNT given back; repeat to split. A bare METHOD gives it
    /// all back that way. Default: cash, then how the invoice was paid,
    /// never more by a method than was paid by it.
    #[arg(long = "refund")]
    refunds: Vec<String>,
    #[arg(long)]
    reason: Option<String>,
}

#[derive(Debug, Subcommand)]
enum SalesCmd {
    List {
        /// First day (Jalali 1404/08/30 or Gregorian 2025-11-21), Tehran time.
        #[arg(long)]
        from: Option<String>,
        /// Last day, inclusive.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// The end-of-day report: sales and returns apart, money by method,
    /// old gold taken in, cash expected in the drawer (default: today).
    Report {
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
}

#[derive(Debug, Args)]
struct ExportArgs {
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

#[derive(Debug, Subcommand)]
enum SettingsCmd {
    Show,
    /// profit_percent, trade_in_deduction_percent, price_max_age_hours, display_unit (rial|toman),
    /// price_step_percent, price_floor, price_ceiling, old_gold_spread_percent, trade_in_max_grams
    Set {
        key: String,
        value: String,
    },
    /// A VAT rate from a day on.
    Vat {
        #[arg(long)]
        percent: String,
        #[arg(long)]
        from: String,
    },
}

/// How a command ends when it does not succeed.
enum Failure {
    Store(StoreError),
    Sync(zargar_core::sync::SyncError),
    /// A message id and its arguments, for failures outside the store.
    Message(&'static str, Vec<(&'static str, Arg)>),
    /// Already printed; only the exit code is left.
    Reported,
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::Store(e)
    }
}

impl From<ValidationError> for Failure {
    fn from(e: ValidationError) -> Failure {
        Failure::Store(e.into())
    }
}

type Outcome = Result<(), Failure>;

struct Ctx {
    lang: Lang,
    json: bool,
    data_dir: PathBuf,
    now: DateTime<Utc>,
}

impl Ctx {
    fn db_path(&self) -> PathBuf {
        self.data_dir.join("till.db")
    }

    /// Opens an existing till; refuses (rather than creating one) when the
    /// data dir has none, so a typo in `--data-dir` is not a new empty till.
    fn store(&self) -> Result<Store, Failure> {
        if !self.db_path().exists() {
            return Err(StoreError::NotInitialized.into());
        }
        let store = Store::open(&self.db_path())?;
        store.device()?;
        Ok(store)
    }

    fn t(&self, id: &str) -> String {
        messages(self.lang).text(id)
    }

    fn tf(&self, id: &str, args: &[(&str, Arg)]) -> String {
        localize_message(self.lang, id, args)
    }

    fn formatter(&self, store: &Store) -> Result<Formatter, Failure> {
        Ok(Formatter::new(self.lang, store.settings()?.display_unit))
    }

    fn print_json<T: Serialize>(&self, v: &T) {
        match serde_json::to_string_pretty(v) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("{e}"),
        }
    }

    /// One compact JSON object per line, for streams a script reads.
    fn print_json_line<T: Serialize>(&self, v: &T) {
        match serde_json::to_string(v) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("{e}"),
        }
    }

    fn warn(&self, w: &Warning) {
        let Warning::StalePrice { age_hours, limit_hours } = w;
        eprintln!(
            "{}",
            self.tf(
                "cli-warning-stale-price",
                &[("age", Arg::Number((*age_hours).into())), ("limit", Arg::Number((*limit_hours).into()))]
            )
        );
    }
}

fn default_data_dir() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
        return PathBuf::from(x).join("zargar");
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
    home.join(".local/share/zargar")
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors.
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let ctx = Ctx {
        lang: cli.lang.parse().unwrap_or_default(),
        json: cli.json,
        data_dir: cli.data_dir.clone().unwrap_or_else(default_data_dir),
        now: Utc::now(),
    };
    match run(&ctx, cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Reported) => ExitCode::from(1),
        Err(f) => {
            let (code, message, internal) = match &f {
                Failure::Store(e) => (e.code(), e.localize(ctx.lang), !e.is_refusal()),
                Failure::Sync(e) => Failure::sync_parts(e, &ctx),
                Failure::Message(id, args) => (*id, ctx.tf(id, args), false),
                Failure::Reported => ("reported", String::new(), false),
            };
            if internal {
                // The detail is for IT; the cashier's line stays readable.
                match &f {
                    Failure::Store(e) => eprintln!("zargar: {e}"),
                    Failure::Sync(e) => eprintln!("zargar: {e}"),
                    _ => {}
                }
            }
            if ctx.json {
                ctx.print_json(&serde_json::json!({"error": {"code": code, "message": message}}));
            } else {
                eprintln!("{message}");
            }
            ExitCode::from(1)
        }
    }
}

fn run(ctx: &Ctx, command: Command) -> Outcome {
    match command {
        Command::Init { device_name } => init(ctx, &device_name),
        Command::Price(cmd) => price(ctx, cmd),
        Command::Owner(cmd) => owner_cmd(ctx, cmd),
        Command::Item(cmd) => item(ctx, cmd),
        Command::Customer(cmd) => customer_cmd(ctx, cmd),
        Command::Quote(args) => quote(ctx, &args),
        Command::Sell(args) => sell(ctx, &args),
        Command::Return(args) => return_cmd(ctx, &args),
        Command::Invoice { number } => {
            let store = ctx.store()?;
            let no = parse_count(Field::Amount, &number)?;
            let sale = store.sale_by_invoice(no)?;
            if ctx.json {
                ctx.print_json(&sale);
            } else {
                let till = store.device()?.name.clone();
                print!("{}", invoice::render_invoice(&sale, &till, ctx.formatter(&store)?));
                // Its credit notes follow, so a reprint shows what came back.
                for note in store.returns_of_sale(sale.id)? {
                    print!("{}", invoice::render_return(&note, &till, ctx.formatter(&store)?));
                }
            }
            Ok(())
        }
        Command::Label(a) => label_cmd::label(ctx, &a),
        Command::Printer(cmd) => printer_cmd::printer(ctx, cmd),
        Command::Sales(SalesCmd::List { from, to, limit }) => sales_list(ctx, from, to, limit),
        Command::Sales(SalesCmd::Report { from, to }) => sales_report(ctx, from, to),
        Command::Export(args) => export_cmd(ctx, &args),
        Command::Backup { file } => {
            let store = ctx.store()?;
            store.backup(&file)?;
            report(ctx, "cli-backup-done", &[("file", Arg::Text(file.display().to_string()))]);
            Ok(())
        }
        Command::Status => status(ctx),
        Command::Enroll(a) => sync_cmd::enroll(ctx, &a),
        Command::Sync(a) => sync_cmd::sync_cmd(ctx, &a),
        Command::Conflicts(cmd) => sync_cmd::conflicts(ctx, cmd),
        Command::Simulate(a) => sync_cmd::simulate(ctx, &a),
        Command::VerifyJournal => verify_journal(ctx),
        Command::Settings(cmd) => settings(ctx, cmd),
        Command::VerifyBundle(a) => verify_bundle::verify_bundle(ctx, &a),
        Command::Preset { file } => preset(ctx, file),
    }
}

/// What a fleet preset sets, or the line that is wrong in it.
fn preset(ctx: &Ctx, file: Option<PathBuf>) -> Result<(), Failure> {
    let path = file.unwrap_or_else(zargar_core::preset::path);
    let p = match zargar_core::preset::read(&path) {
        Err(e) => return Err(Failure::Message("cli-preset-invalid", e.args())),
        Ok(None) => {
            return Err(Failure::Message("cli-file-unreadable", vec![("file", Arg::Text(path.display().to_string()))]));
        }
        Ok(Some(p)) => p,
    };
    let fields = [
        ("server_url", p.server_url.clone()),
        ("language", p.language.map(|l| l.code().to_owned())),
        ("display_unit", p.display_unit.map(|u| u.code().to_owned())),
        ("update_endpoint", p.update_endpoint.clone()),
        ("enrolment_code_file", p.enrolment_code_file.as_ref().map(|f| f.display().to_string())),
        ("till_name", p.till_name.clone()),
    ];
    if ctx.json {
        let map: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone().map_or(serde_json::Value::Null, Into::into)))
            .collect();
        ctx.print_json(
            &serde_json::json!({"file": path, "preset": map, "enrolment_code_readable": p.enrolment_code().is_some()}),
        );
    } else {
        println!("{}", ctx.tf("cli-preset-valid", &[("file", Arg::Text(path.display().to_string()))]));
        for (key, value) in fields.iter().filter_map(|(k, v)| v.as_ref().map(|v| (k, v))) {
            println!("  {key} = {value}");
        }
        if p.enrolment_code_file.is_some() && p.enrolment_code().is_none() {
            println!("{}", ctx.t("cli-preset-code-unreadable"));
        }
    }
    Ok(())
}

/// Prints a one-line confirmation, or `{"ok": true, "message": …}` in JSON.
/// A message in `lang`, for closures that cannot borrow the context.
fn localize(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    localize_message(lang, id, args)
}

fn report(ctx: &Ctx, id: &str, args: &[(&str, Arg)]) {
    let msg = ctx.tf(id, args);
    if ctx.json {
        ctx.print_json(&serde_json::json!({"ok": true, "message": msg}));
    } else {
        println!("{msg}");
    }
}

fn parse_count(field: Field, s: &str) -> Result<u64, ValidationError> {
    persian::fold_digits(s.trim()).parse::<u64>().map_err(|_| ValidationError::new(field, s))
}

/// Tehran calendar days, typed Jalali (1404/08/30) or Gregorian, inclusive.
fn days(from: Option<&str>, to: Option<&str>) -> Result<TimeSpan, Failure> {
    let day = |s: &str| persian::parse_date(s).ok_or_else(|| ValidationError::new(Field::Date, s));
    Ok(TimeSpan::tehran_days(from.map(day).transpose()?, to.map(day).transpose()?))
}

fn init(ctx: &Ctx, name: &str) -> Outcome {
    std::fs::create_dir_all(&ctx.data_dir).map_err(StoreError::from)?;
    let mut store = Store::open(&ctx.db_path())?;
    let device = store.init_device(name, ctx.now)?;
    if ctx.json {
        ctx.print_json(&serde_json::json!({"device": device, "data_dir": ctx.data_dir}));
    } else {
        println!("{}", ctx.tf("cli-init-done", &[("name", Arg::Text(device.name.clone()))]));
    }
    Ok(())
}

fn owner_cmd(ctx: &Ctx, cmd: OwnerCmd) -> Outcome {
    let mut store = ctx.store()?;
    match cmd {
        OwnerCmd::Set { name, pin, current_pin } => {
            let owner = store.set_owner_pin(&name, &pin, current_pin.as_deref())?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "owner": owner.name }));
            } else {
                report(ctx, "cli-owner-set", &[("name", Arg::Text(owner.name))]);
            }
        }
        OwnerCmd::Show => {
            let owner = store.owner()?.map(|o| o.name);
            if ctx.json {
                ctx.print_json(&serde_json::json!({ "owner": owner }));
            } else {
                match owner {
                    Some(name) => report(ctx, "cli-owner-show", &[("name", Arg::Text(name))]),
                    None => println!("{}", ctx.t("cli-owner-none")),
                }
            }
        }
    }
    Ok(())
}

fn price(ctx: &Ctx, cmd: PriceCmd) -> Outcome {
    let mut store = ctx.store()?;
    let f = ctx.formatter(&store)?;
    match cmd {
        PriceCmd::Set { rial, mazaneh, shop, by } => {
            let entry = match (rial, mazaneh) {
                (_, Some(m)) => PriceEntry::Mazaneh(Rial::parse(Field::Mazaneh, &m)?),
                (Some(r), None) => PriceEntry::PerGram18k(Rial::parse(Field::GoldPrice, &r)?),
                (None, None) => return Err(ValidationError::new(Field::GoldPrice, "").into()),
            };
            // A script asks no question: the shop's bounds still refuse the absurd.
            let new = if shop {
                let by = match by {
                    Some(b) => b,
                    None => store.owner()?.map(|o| o.name).unwrap_or_else(|| "IT".to_owned()),
                };
                NewPrice::shop(entry, &by, true)
            } else {
                NewPrice::till(entry)
            };
            let p = store.set_price(&new, ctx.now)?;
            if ctx.json {
                ctx.print_json(&p);
            } else {
                println!("{}", ctx.tf("cli-price-set", &[("price", Arg::Text(f.money(p.per_gram_18k)))]));
            }
        }
        PriceCmd::Show => {
            let status = store.status(ctx.now)?;
            let Some(p) = status.gold_price.clone() else {
                return Err(StoreError::NoGoldPrice.into());
            };
            if ctx.json {
                ctx.print_json(&serde_json::json!({
                    "price": p, "age_seconds": status.gold_price_age_seconds, "stale": status.gold_price_stale
                }));
            } else {
                println!(
                    "{}",
                    ctx.tf(
                        "cli-price-show",
                        &[
                            ("price", Arg::Text(f.money(p.per_gram_18k))),
                            ("date", Arg::Text(persian::format_date_short(p.set_at, ctx.lang))),
                            ("time", Arg::Text(persian::format_time(p.set_at, ctx.lang))),
                        ]
                    )
                );
                if let Some(m) = p.mazaneh {
                    println!("{}", ctx.tf("cli-price-mazaneh", &[("mazaneh", Arg::Text(f.money(m)))]));
                }
                if status.gold_price_stale {
                    let hours = status.gold_price_age_seconds.unwrap_or(0) / 3600;
                    let limit = store.settings()?.price_max_age_hours;
                    ctx.warn(&Warning::StalePrice { age_hours: hours, limit_hours: limit });
                }
            }
        }
        PriceCmd::History { limit } => {
            let history = store.gold_price_history(limit)?;
            if ctx.json {
                ctx.print_json(&history);
            } else {
                for p in history {
                    println!(
                        "{} {}  {}",
                        persian::format_date_short(p.set_at, ctx.lang),
                        persian::format_time(p.set_at, ctx.lang),
                        f.money(p.per_gram_18k)
                    );
                }
            }
        }
    }
    Ok(())
}

fn item(ctx: &Ctx, cmd: ItemCmd) -> Outcome {
    let mut store = ctx.store()?;
    let f = ctx.formatter(&store)?;
    match cmd {
        ItemCmd::Add { tag, name, weight, purity, wage, barcode, category, stones } => {
            let input = NewItemInput {
                tag,
                name,
                weight,
                purity,
                wage_percent: wage.wage_percent,
                wage_per_gram: wage.wage_per_gram,
                barcode,
                category,
                stones,
            };
            let item = store.add_item(&input.parse()?, ctx.now)?;
            if ctx.json {
                ctx.print_json(&item);
            } else {
                println!("{}", ctx.tf("cli-item-added", &[("tag", Arg::Text(item.tag))]));
            }
        }
        ItemCmd::Import { file } => {
            let reader = std::fs::File::open(&file).map_err(|_| {
                Failure::Message("cli-file-unreadable", vec![("file", Arg::Text(file.display().to_string()))])
            })?;
            let items = store.import_items(std::io::BufReader::new(reader), ctx.now)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({"imported": items.len()}));
            } else {
                println!("{}", ctx.tf("cli-items-imported", &[("count", Arg::Number(items.len().into()))]));
            }
        }
        ItemCmd::Status { code, status } => {
            let item = store.set_item_status(&code, parse_status(&status)?, ctx.now)?;
            if ctx.json {
                ctx.print_json(&item);
            } else {
                let args = [("tag", Arg::Text(item.tag)), ("status", Arg::Message(item.status.message_id()))];
                println!("{}", ctx.tf("cli-item-status", &args));
            }
        }
        ItemCmd::List { search, status, limit } => {
            let status = status.as_deref().map(parse_status).transpose()?;
            let items = store.list_items(&ItemFilter { search, status, limit })?;
            if ctx.json {
                ctx.print_json(&items);
            } else {
                for i in &items {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        i.tag,
                        i.name,
                        messages(ctx.lang).format("weight-gram", &[("weight", f.number(i.weight.decimal()))]),
                        f.purity(i.purity),
                        ctx.t(&i.status.message_id()),
                    );
                }
            }
        }
        ItemCmd::Show { code } => {
            let item = store.find_item(&code)?.ok_or_else(|| StoreError::ItemNotFound(code.trim().to_owned()))?;
            if ctx.json {
                ctx.print_json(&item);
            } else {
                println!("{} [{}]", item.name, item.tag);
                println!(
                    "  {}",
                    messages(ctx.lang).format("weight-gram", &[("weight", f.number(item.weight.decimal()))])
                );
                println!("  {}", f.purity(item.purity));
                println!("  {}", f.wage_rate(item.wage));
                println!("  {}", ctx.t(&item.status.message_id()));
            }
        }
    }
    Ok(())
}

fn parse_status(s: &str) -> Result<ItemStatus, ValidationError> {
    ItemStatus::from_code(s.trim()).ok_or_else(|| ValidationError::new(Field::ItemStatus, s))
}

fn customer_cmd(ctx: &Ctx, cmd: CustomerCmd) -> Outcome {
    let mut store = ctx.store()?;
    match cmd {
        CustomerCmd::Add { name, mobile, national_id } => {
            let new = customer::NewCustomer::parse(&name, mobile.as_deref(), national_id.as_deref())?;
            let c = store.add_customer(&new, ctx.now)?;
            if ctx.json {
                ctx.print_json(&c);
            } else {
                println!(
                    "{}",
                    ctx.tf("cli-customer-added", &[("name", Arg::Text(c.name)), ("id", Arg::Text(c.id.to_string()))])
                );
            }
        }
        CustomerCmd::List { search } => {
            let list = store.search_customers(&search, 200)?;
            if ctx.json {
                ctx.print_json(&list);
            } else {
                for c in list {
                    let mobile = c.mobile.map(|m| m.to_string()).unwrap_or_default();
                    println!("{}\t{}\t{}", c.id, c.name, mobile);
                }
            }
        }
    }
    Ok(())
}

fn quote(ctx: &Ctx, a: &QuoteArgs) -> Outcome {
    let wage = match (&a.wage.wage_percent, &a.wage.wage_per_gram) {
        (Some(p), _) => WageRate::Percent(Percent::parse(Field::WagePercent, p)?),
        (None, Some(r)) => WageRate::PerGram(Rial::parse(Field::WagePerGram, r)?),
        (None, None) => return Err(ValidationError::new(Field::WagePercent, "").into()),
    };
    let piece = Piece {
        weight: measure::Weight::parse(Field::Weight, &a.weight)?,
        purity: measure::Purity::parse(Field::Purity, &a.purity)?,
        wage,
        stones: a.stones.as_deref().map(|s| Rial::parse(Field::Stones, s)).transpose()?.unwrap_or(Rial::ZERO),
    };
    let per_gram_18k = Rial::parse(Field::GoldPrice, &a.gold_price)?;
    if per_gram_18k == Rial::ZERO {
        return Err(ValidationError::new(Field::GoldPrice, &a.gold_price).into());
    }
    let rates = Rates {
        per_gram_18k,
        profit: Percent::parse(Field::ProfitPercent, &a.profit_percent)?,
        vat: Percent::parse(Field::VatPercent, &a.vat_percent)?,
    };
    let p = pricing::price_piece(&piece, &rates).map_err(StoreError::from)?;
    if ctx.json {
        ctx.print_json(&p);
    } else {
        let f = Formatter::new(ctx.lang, zargar_core::money::DisplayUnit::Rial);
        for (id, v) in [
            ("invoice-gold", p.gold),
            ("invoice-wage", p.wage),
            ("invoice-profit", p.profit),
            ("invoice-vat", p.vat),
            ("invoice-stones", p.stones),
            ("invoice-line-total", p.total),
        ] {
            println!("{}: {}", ctx.t(id), f.money(v));
        }
    }
    Ok(())
}

fn sell(ctx: &Ctx, a: &SellArgs) -> Outcome {
    let req = SaleRequest {
        items: a.items.clone(),
        customer: a.customer.clone(),
        payments: a.payments.iter().map(|p| PaymentInput::parse(p)).collect::<Result<_, _>>()?,
        trade_ins: a.trade_ins.iter().map(|t| TradeInInput::parse(t)).collect::<Result<_, _>>()?,
        profit: a.profit_percent.as_deref().map(|p| Percent::parse(Field::ProfitPercent, p)).transpose()?,
        exchange: match &a.exchange_invoice {
            None => None,
            Some(no) => Some(ReturnRequest {
                invoice_no: parse_count(Field::Amount, no)?,
                tags: a.exchange_items.clone(),
                refunds: a.refunds.iter().map(|p| PaymentInput::parse(p)).collect::<Result<_, _>>()?,
                reason: None,
            }),
        },
    };
    let mut store = ctx.store()?;
    let recorded = store.record_sale(&req, ctx.now)?;
    // Only now, after COMMIT, is the sale reported.
    for w in &recorded.warnings {
        ctx.warn(w);
    }
    if ctx.json {
        ctx.print_json(&serde_json::json!({
            "saved": true, "sale": recorded.sale, "warnings": recorded.warnings, "credit_note": recorded.credit_note
        }));
    } else {
        if let Some(note) = &recorded.credit_note {
            print!("{}", invoice::render_return(note, &store.device()?.name, ctx.formatter(&store)?));
        }
        print!("{}", invoice::render_invoice(&recorded.sale, &store.device()?.name, ctx.formatter(&store)?));
        println!("{}", ctx.tf("cli-sale-saved", &[("number", Arg::Number(recorded.sale.invoice_no.into()))]));
    }
    let _ = std::io::stdout().flush();
    Ok(())
}

fn return_cmd(ctx: &Ctx, a: &ReturnArgs) -> Outcome {
    let invoice_no = parse_count(Field::Amount, &a.invoice)?;
    let mut store = ctx.store()?;
    let refunds = match a.refunds.as_slice() {
        [one] if !one.contains('=') => {
            let refund = store.quote_return(invoice_no, &a.items)?.refund;
            vec![PaymentInput::new(parse_payment_method(one)?, refund)?]
        }
        many => many.iter().map(|p| PaymentInput::parse(p)).collect::<Result<_, _>>()?,
    };
    let req = ReturnRequest { invoice_no, tags: a.items.clone(), refunds, reason: a.reason.clone() };
    let ret = store.record_return(&req, ctx.now)?;
    if ctx.json {
        ctx.print_json(&serde_json::json!({"saved": true, "return": ret}));
    } else {
        print!("{}", invoice::render_return(&ret, &store.device()?.name, ctx.formatter(&store)?));
    }
    Ok(())
}

fn sales_list(ctx: &Ctx, from: Option<String>, to: Option<String>, limit: u32) -> Outcome {
    let store = ctx.store()?;
    let f = ctx.formatter(&store)?;
    let entries = store.day_entries(days(from.as_deref(), to.as_deref())?, limit)?;
    if ctx.json {
        ctx.print_json(&entries);
        return Ok(());
    }
    for s in &entries {
        let kind = match s.kind {
            EntryKind::Sale => "export-kind-sale",
            EntryKind::Return => "export-kind-return",
        };
        println!(
            "{} {}\t{} {}\t{}\t{}\t{}",
            ctx.t(kind),
            f.number(s.number.into()),
            persian::format_date_short(s.at, ctx.lang),
            persian::format_time(s.at, ctx.lang),
            messages(ctx.lang).format("weight-gram", &[("weight", f.number(s.weight.decimal()))]),
            f.money(s.total),
            ctx.t(&format!("sync-state-{}", s.sync.code())),
        );
    }
    Ok(())
}

fn sales_report(ctx: &Ctx, from: Option<String>, to: Option<String>) -> Outcome {
    let store = ctx.store()?;
    let span = match (from, to) {
        (None, None) => {
            let today = persian::tehran_offset_datetime(ctx.now).date_naive();
            TimeSpan::tehran_days(Some(today), Some(today))
        }
        (from, to) => days(from.as_deref(), to.as_deref())?,
    };
    let r = store.sales_report(span)?;
    if ctx.json {
        ctx.print_json(&r);
        return Ok(());
    }
    let f = ctx.formatter(&store)?;
    let count = |n: u64| ctx.tf("report-count", &[("count", Arg::Number(n.into()))]);
    println!("{}", ctx.t("report-title"));
    println!("{}: {}\t{}", ctx.t("report-sales"), count(r.sales), f.money(r.sales_total));
    println!("{}: {}\t{}", ctx.t("report-returns"), count(r.returns), f.money(r.returns_total));
    println!("{}: {}", ctx.t("report-net"), f.money(r.net_total));
    println!("{}:", ctx.t("report-old-gold"));
    if r.old_gold.is_empty() {
        println!("  {}", ctx.t("report-old-gold-none"));
    }
    for g in &r.old_gold {
        let grams = ctx.tf("report-grams", &[("grams", Arg::Number(g.grams))]);
        println!("  {}\t{grams}\t{}", f.purity(g.purity), f.money(g.value));
    }
    println!("{}:", ctx.t("report-by-method"));
    for m in &r.by_method {
        println!(
            "  {}\t{}: {}\t{}: {}\t{}: {}",
            ctx.t(&format!("payment-{}", zargar_core::sale::payment_method_code(m.method))),
            ctx.t("report-received"),
            f.money(m.received),
            ctx.t("report-refunded"),
            f.money(m.refunded),
            ctx.t("report-method-net"),
            f.money(m.net),
        );
    }
    println!("{}: {}", ctx.t("report-cash-expected"), f.money(r.cash_expected));
    Ok(())
}

fn export_cmd(ctx: &Ctx, a: &ExportArgs) -> Outcome {
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
fn create_new(path: &Path) -> Result<std::fs::File, Failure> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|_| Failure::Message("cli-file-unwritable", vec![("file", Arg::Text(path.display().to_string()))]))
}

fn status(ctx: &Ctx) -> Outcome {
    let store = ctx.store()?;
    let s = store.status(ctx.now)?;
    if ctx.json {
        ctx.print_json(&s);
        return Ok(());
    }
    let f = ctx.formatter(&store)?;
    println!("{}", ctx.tf("cli-status-till", &[("name", Arg::Text(s.device_name.clone()))]));
    println!(
        "{}",
        ctx.tf(
            "cli-status-pending",
            &[("count", Arg::Number(s.pending.into())), ("sales", Arg::Number(s.pending_sales.into()))]
        )
    );
    if let Some(age) = s.oldest_pending_sale_age_seconds {
        println!("{}", ctx.tf("cli-status-oldest", &[("minutes", Arg::Number((age / 60).into()))]));
    }
    if s.conflicts > 0 {
        println!("{}", ctx.tf("cli-status-conflicts", &[("count", Arg::Number(s.conflicts.into()))]));
    }
    match (&s.shop, s.last_sync) {
        (Some(shop), Some(at)) => println!(
            "{}",
            ctx.tf(
                "cli-status-shop",
                &[("shop", Arg::Text(shop.clone())), ("minutes", Arg::Number(((ctx.now - at).num_minutes()).into()))]
            )
        ),
        (Some(shop), None) => println!("{}", ctx.tf("cli-status-shop-never", &[("shop", Arg::Text(shop.clone()))])),
        (None, _) => println!("{}", ctx.t("error-sync-not-enrolled")),
    }
    println!("{}", ctx.tf("cli-status-sales", &[("count", Arg::Number(s.sales.into()))]));
    match &s.gold_price {
        Some(p) => println!("{}", ctx.tf("cli-status-price", &[("price", Arg::Text(f.money(p.per_gram_18k)))])),
        None => println!("{}", ctx.t("error-no-gold-price")),
    }
    if s.gold_price_stale {
        ctx.warn(&Warning::StalePrice {
            age_hours: s.gold_price_age_seconds.unwrap_or(0) / 3600,
            limit_hours: store.settings()?.price_max_age_hours,
        });
    }
    Ok(())
}

fn verify_journal(ctx: &Ctx) -> Outcome {
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

fn settings(ctx: &Ctx, cmd: SettingsCmd) -> Outcome {
    let mut store = ctx.store()?;
    let s = match cmd {
        SettingsCmd::Show => store.settings()?,
        SettingsCmd::Set { key, value } => store.set_setting(SettingKey::parse(&key)?, &value)?,
        SettingsCmd::Vat { percent, from } => {
            let p = Percent::parse(Field::VatPercent, &percent)?;
            let day = persian::parse_date(&from).ok_or_else(|| ValidationError::new(Field::Date, &from))?;
            store.set_vat_rate(day, p)?
        }
    };
    if ctx.json {
        ctx.print_json(&s);
    } else {
        let f = Formatter::new(ctx.lang, s.display_unit);
        println!("profit_percent: {}", f.percent(s.profit));
        println!("trade_in_deduction_percent: {}", f.percent(s.trade_in_deduction));
        println!("price_max_age_hours: {}", f.number(s.price_max_age_hours.into()));
        println!("display_unit: {}", ctx.t(s.display_unit.message_id()));
        println!("price_step_percent: {}", f.percent(s.price_step));
        let bound = |b: Option<Rial>| b.map_or_else(|| "-".to_owned(), |r| f.money(r));
        println!("price_floor: {}", bound(s.price_floor));
        println!("price_ceiling: {}", bound(s.price_ceiling));
        println!("old_gold_spread_percent: {}", f.percent(s.old_gold_spread));
        println!("trade_in_max_grams: {}", f.number(s.trade_in_max.decimal().normalize()));
        for (day, p) in s.vat.entries() {
            println!("vat: {} {}", persian::format_day_short(*day, ctx.lang), f.percent(*p));
        }
    }
    Ok(())
}
