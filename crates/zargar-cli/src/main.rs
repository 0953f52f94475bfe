//! `zargar`: the headless Zargar POS till, for IT, scripts and load tests.
//! A thin shell: parse the command line, call `zargar-core`, print the
//! result in the chosen language or as JSON.
//!
//! Exit codes: 0 success, 1 refused (the reason is printed in the chosen
//! language; nothing was written), 2 usage error.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use serde::Serialize;
use zargar_core::error::{Arg, localize_message};
use zargar_core::i18n::messages;
use zargar_core::invoice::Formatter;
use zargar_core::store::{TimeSpan, Warning};
use zargar_core::{Field, Lang, Store, StoreError, ValidationError, persian};

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
    /// Act as this person of the shop, signed in with the PIN in $ZARGAR_PIN
    /// (needed once the owner has added people).
    #[arg(long = "as", global = true, env = "ZARGAR_AS")]
    as_person: Option<String>,
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
    Price(cmd::price::PriceCmd),
    /// Inventory.
    #[command(subcommand)]
    Item(cmd::item::ItemCmd),
    /// Registered customers.
    #[command(subcommand)]
    Customer(cmd::customer::CustomerCmd),
    /// Price a piece without a store.
    Quote(cmd::quote::QuoteArgs),
    /// Record a sale and print its invoice (after it is saved).
    Sell(cmd::sell::SellArgs),
    /// Take pieces of a sale back.
    Return(cmd::returns::ReturnArgs),
    /// Reprint the invoice of a sale.
    Invoice { number: String },
    /// Recorded sales.
    #[command(subcommand)]
    Sales(cmd::sales::SalesCmd),
    /// Export sold lines as CSV or JSON.
    Export(cmd::export::ExportArgs),
    /// Copy the live database to FILE (SQLite online backup).
    Backup { file: PathBuf },
    /// Pending outbox, oldest pending sale, gold price age.
    Status,
    /// Remove ops the server acknowledged longer ago than the shop's
    /// retention (never an unsent one); sync does it daily by itself.
    Cleanup,
    /// Check the sales journal's hash chain; names the first broken link.
    VerifyJournal,
    /// The shop's settings on this till.
    #[command(subcommand)]
    Settings(cmd::settings::SettingsCmd),
    /// Link this till to its shop's server with a one-time code.
    Enroll(cmd::sync::EnrollArgs),
    /// Send the outbox to the server and fetch the shop's changes.
    Sync(cmd::sync::SyncArgs),
    /// The owner's view of the whole shop from its server, per day, till
    /// and person, with every till's Z reports (an owner's device only).
    Report(cmd::report::ReportArgs),
    /// Conflicts the server found (two tills sold one piece…).
    #[command(subcommand)]
    Conflicts(cmd::sync::ConflictsCmd),
    /// Load test: tag and sell N pieces here, one sale per transaction.
    Simulate(cmd::sync::SimulateArgs),
    /// The owner of this till: name and PIN (IT presets it before the app's first start).
    #[command(subcommand)]
    Owner(cmd::owner::OwnerCmd),
    /// The shop's people: owner, managers and cashiers, each with a PIN.
    #[command(subcommand)]
    People(cmd::people::PeopleCmd),
    /// The drawer's shift: open, cash in and out, X report, close with the Z report.
    #[command(subcommand)]
    Shift(cmd::shift::ShiftCmd),
    /// Customers' accounts: balances, statements, payments, gold kept as
    /// credit, conversions, credit limits, receivables.
    #[command(subcommand)]
    Account(cmd::account::AccountCmd),
    /// Layaways: pieces put aside for a customer against a deposit.
    #[command(subcommand)]
    Layaway(cmd::layaway::LayawayCmd),
    /// The shop's Moadian invoices as the server told this till.
    #[command(subcommand)]
    Tax(cmd::tax::TaxCmd),
    /// Before installing: does FILE match our release signature (minisign or
    /// Tauri's signer format)? For SHA256SUMS, also the files it lists.
    VerifyBundle(cmd::verify_bundle::VerifyBundleArgs),
    /// Check a fleet preset before rolling it out, and show what it sets
    /// (default: $ZARGAR_PRESET, else /etc/zargar/pos.toml).
    Preset { file: Option<PathBuf> },
    /// Tag labels (اتیکت) as SVG: name, weight, purity, wage and a barcode
    /// that scans back to the piece; one file, or a folder of TAG.svg.
    Label(cmd::label::LabelArgs),
    /// Receipt printers: print a test page, or ask whether one is online and
    /// has paper. ADDRESS as in Settings: 192.168.1.50[:9100], /dev/usb/lp0, cups:NAME.
    #[command(subcommand)]
    Printer(cmd::printer::PrinterCmd),
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
    /// Who signs in for the command (`--as`), with the PIN from $ZARGAR_PIN.
    as_person: Option<String>,
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
        let mut store = Store::open(&self.db_path())?;
        store.device()?;
        if let Some(name) = &self.as_person {
            let pin = std::env::var("ZARGAR_PIN").unwrap_or_default();
            store.sign_in(name, &pin, self.now)?;
        }
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
        as_person: cli.as_person.clone(),
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
        Command::Init { device_name } => cmd::init::init(ctx, &device_name),
        Command::Price(cmd) => cmd::price::price(ctx, cmd),
        Command::Owner(cmd) => cmd::owner::owner_cmd(ctx, cmd),
        Command::People(cmd) => cmd::people::people(ctx, cmd),
        Command::Shift(cmd) => cmd::shift::shift(ctx, cmd),
        Command::Account(cmd) => cmd::account::account(ctx, cmd),
        Command::Layaway(cmd) => cmd::layaway::layaway(ctx, cmd),
        Command::Tax(cmd) => cmd::tax::tax(ctx, cmd),
        Command::Item(cmd) => cmd::item::item(ctx, cmd),
        Command::Customer(cmd) => cmd::customer::customer_cmd(ctx, cmd),
        Command::Quote(args) => cmd::quote::quote(ctx, &args),
        Command::Sell(args) => cmd::sell::sell(ctx, &args),
        Command::Return(args) => cmd::returns::return_cmd(ctx, &args),
        Command::Invoice { number } => cmd::invoice::invoice(ctx, &number),
        Command::Label(a) => cmd::label::label(ctx, &a),
        Command::Printer(cmd) => cmd::printer::printer(ctx, cmd),
        Command::Sales(cmd::sales::SalesCmd::List { from, to, limit }) => cmd::sales::sales_list(ctx, from, to, limit),
        Command::Sales(cmd::sales::SalesCmd::Report { from, to }) => cmd::sales::sales_report(ctx, from, to),
        Command::Export(args) => cmd::export::export_cmd(ctx, &args),
        Command::Backup { file } => cmd::backup::backup(ctx, &file),
        Command::Status => cmd::status::status(ctx),
        Command::Cleanup => cmd::cleanup::cleanup(ctx),
        Command::Enroll(a) => cmd::sync::enroll(ctx, &a),
        Command::Sync(a) => cmd::sync::sync_cmd(ctx, &a),
        Command::Report(a) => cmd::report::report_cmd(ctx, &a),
        Command::Conflicts(cmd) => cmd::sync::conflicts(ctx, cmd),
        Command::Simulate(a) => cmd::sync::simulate(ctx, &a),
        Command::VerifyJournal => cmd::verify_journal::verify_journal(ctx),
        Command::Settings(cmd) => cmd::settings::settings(ctx, cmd),
        Command::VerifyBundle(a) => cmd::verify_bundle::verify_bundle(ctx, &a),
        Command::Preset { file } => cmd::preset::preset(ctx, file),
    }
}

/// A message in `lang`, for closures that cannot borrow the context.
fn localize(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    localize_message(lang, id, args)
}

/// Prints a one-line confirmation, or `{"ok": true, "message": …}` in JSON.
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
