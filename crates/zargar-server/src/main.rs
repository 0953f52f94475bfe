//! `zargar-server`: serve the sync API, and the owner's administration of
//! shops, tills, inventory, prices and settings. Each subcommand takes the
//! database with `--db FILE` (SQLite, the default) or `--database-url
//! postgres://…`, or from the config file given with `--config`.

#![allow(clippy::print_stdout)] // printing is what the admin commands are for

mod config;
mod items_csv;
mod tax_cmd;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use chrono::{NaiveDate, Utc};
use clap::{Parser, Subcommand};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_rules::{Percent, Rial};
use zargar_server::limit::RateLimit;
use zargar_server::storage::postgres::{self, migrate};
use zargar_server::storage::{Database, EnrolCode, SettingsChange, Storage};
use zargar_server::{AppState, auth, router};
use zargar_wire::{DeviceRole, GoldPricePayload, PriceScope, VatRate};

#[derive(Debug, Parser)]
#[command(name = "zargar-server", version, about = "Zargar POS tenant sync server")]
struct Cli {
    /// The server's SQLite database, created if missing [default: `database`
    /// in the config file, else zargar-server.db].
    #[arg(long, global = true, env = "ZARGAR_SERVER_DB")]
    db: Option<PathBuf>,
    /// A PostgreSQL database instead of the SQLite file:
    /// `postgres://ROLE:PASSWORD@HOST:PORT/DB`. `serve` and the admin
    /// commands connect as the server's role; `migrate` and `migrate-to` as
    /// the tables' owner.
    #[arg(long, global = true, env = "ZARGAR_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    database_url: Option<String>,
    /// A TOML config file (listen, database, rate_per_second, rate_burst,
    /// request_timeout_seconds, [[price_feed]]); flags and their variables
    /// win over it.
    #[arg(long, global = true, env = "ZARGAR_SERVER_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the sync API until SIGTERM or Ctrl-C; in-flight pushes finish.
    Serve {
        /// The address to listen on [default: `listen` in the config file,
        /// else 127.0.0.1:8080].
        #[arg(long, env = "ZARGAR_LISTEN")]
        listen: Option<String>,
        /// Requests one device may make per second, sustained [default: the
        /// config file's, else 10].
        #[arg(long)]
        rate_per_second: Option<u32>,
        /// Requests one device may make at once [default: the config file's, else 40].
        #[arg(long)]
        rate_burst: Option<u32>,
        /// Seconds before a request is answered 408 [default: the config
        /// file's `request_timeout_seconds`, else 30].
        #[arg(long)]
        request_timeout: Option<u64>,
        /// PostgreSQL connections this process keeps [default: the config
        /// file's `pool_size`, else 8].
        #[arg(long)]
        pool_size: Option<u32>,
        /// PostgreSQL: a direct connection (a session of its own, not
        /// through pgbouncer in transaction mode) for the change notices
        /// the server processes send each other [default: the config file's
        /// `notices_database_url`, else the database URL].
        #[arg(long, env = "ZARGAR_NOTICES_DATABASE_URL", hide_env_values = true)]
        notices_database_url: Option<String>,
        /// Enrolments the whole server takes per second, five at once
        /// [default: 2]; raise it while IT enrols a fleet of tills.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1000))]
        enrol_per_second: u32,
    },
    /// Create or update the database's schema. On PostgreSQL, run it as the
    /// tables' owner; it grants the server's role what it needs.
    Migrate {
        /// The role `serve` connects as: it must exist, and be no superuser,
        /// no BYPASSRLS and not the owner.
        #[arg(long, default_value = "zargar_app")]
        app_role: String,
    },
    /// Copy the SQLite database (`--db`) into the PostgreSQL database
    /// (`--database-url`, as the owner, migrated): every shop, till, sale,
    /// result and change, so that tills go on syncing without enrolling again.
    /// Stop the server on the SQLite file first.
    MigrateTo,
    /// Shops.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Tills and the owner's devices.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// Inventory.
    Item {
        #[command(subcommand)]
        command: ItemCommand,
    },
    /// The day's gold price.
    Price {
        #[command(subcommand)]
        command: PriceCommand,
    },
    /// Show the shop's settings, changing those given.
    Settings {
        #[arg(long)]
        tenant: Uuid,
        /// A VAT rate in percent, from `--vat-from` (default: today).
        #[arg(long)]
        vat: Option<Decimal>,
        #[arg(long, requires = "vat")]
        vat_from: Option<NaiveDate>,
        /// Default profit in percent.
        #[arg(long)]
        profit: Option<Decimal>,
        /// How far a sale's 18k price may be from the server's, in percent.
        #[arg(long)]
        price_tolerance: Option<Decimal>,
        /// Melting loss deducted from old gold, in percent.
        #[arg(long)]
        trade_in_deduction: Option<Decimal>,
        /// Hours without a sync before a till warns.
        #[arg(long)]
        max_offline_hours: Option<u32>,
        /// The largest sale a till may make offline, in Rial.
        #[arg(long)]
        max_offline_sale: Option<Decimal>,
        /// The most a till may hold unsynced, in Rial.
        #[arg(long)]
        max_unsynced_total: Option<Decimal>,
        /// Days the server keeps answers to ops and replaced changes, and
        /// each till its sent ops [default for a new shop: 90].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
        retention_days: Option<u32>,
    },
    /// Prune the shop's old answers and replaced changes now, by its
    /// retention (the server also does it once a day); prints what went.
    Prune {
        #[arg(long)]
        tenant: Uuid,
    },
    /// The shop's audit log: enrolments, revocations, prices, settings, resolutions.
    Audit {
        #[arg(long)]
        tenant: Uuid,
    },
    /// Print the OpenAPI document the server serves at /api/v1/openapi.json.
    Openapi,
    /// The Moadian tax id of an invoice, to check one by hand.
    TaxId {
        /// The shop's six-character memory id.
        #[arg(long)]
        memory_id: String,
        /// The issue day (UTC).
        #[arg(long)]
        date: NaiveDate,
        #[arg(long)]
        serial: u64,
    },
    /// A shop's legal identity and its Moadian invoices.
    Tax {
        #[command(subcommand)]
        command: tax_cmd::TaxCommand,
    },
}

#[derive(Debug, Subcommand)]
enum TenantCommand {
    /// Create a shop; prints its id.
    Create { name: String },
}

#[derive(Debug, Subcommand)]
enum DeviceCommand {
    /// A single-use enrolment code, valid 15 minutes.
    Enroll {
        #[arg(long)]
        tenant: Uuid,
        /// `owner` for the owner's device, which may also export.
        #[arg(long, default_value = "till", value_parser = ["till", "owner"])]
        role: String,
        /// Re-enrol this device of the shop (its token was lost): only it
        /// may use the code; it keeps its id, role and the numbering of its
        /// ops, and its old token stops working.
        #[arg(long, conflicts_with = "role")]
        device: Option<Uuid>,
    },
    /// Revoke a device: every call with its token is refused from now on.
    Revoke {
        #[arg(long)]
        tenant: Uuid,
        device: Uuid,
    },
    /// The shop's devices.
    List {
        #[arg(long)]
        tenant: Uuid,
    },
}

#[derive(Debug, Subcommand)]
enum ItemCommand {
    /// Import pieces from CSV: tag,name,weight,purity,wage_percent,wage_per_gram,barcode,category,stones.
    Import {
        #[arg(long)]
        tenant: Uuid,
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum PriceCommand {
    /// Set the price of one gram of 18k gold, in Rial.
    Set {
        #[arg(long)]
        tenant: Uuid,
        rial: Decimal,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(cli))
}

/// The database when neither `--db`, `ZARGAR_SERVER_DB` nor the config file names one.
const DEFAULT_DB: &str = "zargar-server.db";
/// The address `serve` listens on when nothing else says.
const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// Seconds before a request is answered 408 when nothing else says.
const DEFAULT_REQUEST_TIMEOUT: u64 = 30;

async fn run(cli: Cli) -> anyhow::Result<()> {
    let file = match &cli.config {
        Some(path) => config::ServerConfig::load(path)?,
        None => config::ServerConfig::default(),
    };
    if let Command::TaxId { memory_id, date, serial } = &cli.command {
        println!("{}", tax_cmd::tax_id(memory_id, *date, *serial)?);
        return Ok(());
    }
    if let Command::Openapi = cli.command {
        use utoipa::OpenApi;
        println!("{}", zargar_server::api::ApiDoc::openapi().to_pretty_json()?);
        return Ok(());
    }
    match cli.command {
        Command::Migrate { app_role } => {
            return run_migrate(cli.database_url.or(file.database_url), cli.db.or(file.database), &app_role).await;
        }
        // The source is the SQLite file, the target PostgreSQL: both are named.
        Command::MigrateTo => {
            return run_migrate_to(cli.database_url.or(file.database_url), cli.db.or(file.database)).await;
        }
        _ => {}
    }
    // A flag or its variable wins over the file; the file's URL over its path.
    let database = match (cli.database_url, cli.db, file.database_url, file.database) {
        (Some(_), Some(_), _, _) => bail!("give the database once: --db FILE (SQLite) or --database-url (PostgreSQL)"),
        (Some(url), None, _, _) | (None, None, Some(url), _) => {
            if !postgres::is_postgres_url(&url) {
                bail!("--database-url: a postgres:// or postgresql:// URL");
            }
            Database::Postgres(url)
        }
        (None, Some(db), _, _) | (None, None, None, Some(db)) => Database::Sqlite(db),
        (None, None, None, None) => Database::Sqlite(PathBuf::from(DEFAULT_DB)),
    };
    let pool_size = match &cli.command {
        Command::Serve { pool_size: Some(n), .. } => *n as usize,
        Command::Serve { .. } => file.pool_size.map_or(postgres::DEFAULT_POOL_SIZE, |n| n.get() as usize),
        // One admin command needs one connection.
        _ => 1,
    };
    let storage = database.open(pool_size).await.with_context(|| match &database {
        Database::Sqlite(path) => format!("opening {}", path.display()),
        Database::Postgres(_) => "connecting to PostgreSQL".to_owned(),
    })?;
    let now = Utc::now();
    match cli.command {
        Command::Migrate { .. } | Command::MigrateTo => {}
        Command::Serve {
            listen,
            rate_per_second,
            rate_burst,
            request_timeout,
            pool_size: _,
            notices_database_url,
            enrol_per_second,
        } => {
            let defaults = RateLimit::default();
            let listen = listen.or(file.listen).unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
            let rate = RateLimit {
                per_second: rate_per_second.or(file.rate_per_second.map(|n| n.get())).unwrap_or(defaults.per_second),
                burst: rate_burst.or(file.rate_burst.map(|n| n.get())).unwrap_or(defaults.burst),
            };
            let timeout =
                request_timeout.or(file.request_timeout_seconds.map(|n| n.get())).unwrap_or(DEFAULT_REQUEST_TIMEOUT);
            let notices_url = match &database {
                Database::Postgres(url) => {
                    Some(notices_database_url.or(file.notices_database_url).unwrap_or(url.clone()))
                }
                Database::Sqlite(_) => None,
            };
            let limits = Limits { device: rate, enrol: RateLimit::enrolment(enrol_per_second) };
            let tax = tax_cmd::queue(storage.clone(), tax_cmd::config(file.tax.clone(), &database))?;
            serve(storage.clone(), &listen, limits, timeout, notices_url, file.price_feed.clone(), tax).await?;
        }
        Command::Tenant { command: TenantCommand::Create { name } } => {
            let name = name.trim();
            if name.is_empty() {
                bail!("a shop needs a name");
            }
            println!("{}", storage.create_tenant(name, now).await?.id);
        }
        Command::Device { command } => match command {
            DeviceCommand::Enroll { tenant, role, device } => {
                let role = if role == "owner" { DeviceRole::Owner } else { DeviceRole::Till };
                let code = auth::new_enrol_code();
                let expires = now + chrono::Duration::minutes(auth::CODE_LIFETIME_MINUTES);
                let code_hash = auth::hash(&auth::normalize_code(&code));
                storage.add_enrol_code(EnrolCode { tenant, role, device, code_hash, now, expires_at: expires }).await?;
                println!("{code}");
                eprintln!("single use, valid until {}", expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            }
            DeviceCommand::Revoke { tenant, device } => {
                storage.revoke_device(tenant, device, now).await?;
                eprintln!("revoked {device}");
            }
            DeviceCommand::List { tenant } => {
                for d in storage.devices(tenant).await? {
                    let role = if d.role == DeviceRole::Owner { "owner" } else { "till" };
                    let state = if d.revoked { "revoked" } else { "active" };
                    println!("{}\t{}\t{role}\t{state}", d.device_id, d.device_name);
                }
            }
        },
        Command::Item { command: ItemCommand::Import { tenant, file } } => {
            let items = items_csv::read_items(&file)?;
            let n = storage.import_items(tenant, items, now).await?;
            announce(&*storage, tenant).await;
            println!("{n}");
        }
        Command::Price { command: PriceCommand::Set { tenant, rial } } => {
            let p = Rial::whole(rial)
                .filter(|r| *r > Rial::ZERO)
                .ok_or_else(|| anyhow!("the price is a whole number of Rials above zero"))?;
            let price = GoldPricePayload {
                price_id: Uuid::now_v7(),
                per_gram_18k: p.decimal(),
                mazaneh: None,
                set_at: now,
                scope: PriceScope::Shop,
                set_by: None,
                set_at_till: None,
            };
            storage.set_gold_price(tenant, price.clone()).await?;
            announce(&*storage, tenant).await;
            println!("{}", price.price_id);
        }
        Command::Settings {
            tenant,
            vat,
            vat_from,
            profit,
            price_tolerance,
            trade_in_deduction,
            max_offline_hours,
            max_offline_sale,
            max_unsynced_total,
            retention_days,
        } => {
            let pct = |name: &str, v: Option<Decimal>| -> anyhow::Result<Option<Decimal>> {
                v.map(|d| {
                    Percent::new(d).map(|p| p.decimal()).ok_or_else(|| anyhow!("{name}: a percentage from 0 to 100"))
                })
                .transpose()
            };
            let rial = |name: &str, v: Option<Decimal>| -> anyhow::Result<Option<Decimal>> {
                v.map(|d| {
                    Rial::whole(d)
                        .filter(|r| !r.is_negative())
                        .map(|r| r.decimal())
                        .ok_or_else(|| anyhow!("{name}: whole Rials"))
                })
                .transpose()
            };
            let today = zargar_server::checks::tehran_day(now);
            let change = SettingsChange {
                vat: pct("--vat", vat)?.map(|percent| VatRate { from: vat_from.unwrap_or(today), percent }),
                profit_percent: pct("--profit", profit)?,
                price_tolerance_percent: pct("--price-tolerance", price_tolerance)?,
                trade_in_deduction_percent: pct("--trade-in-deduction", trade_in_deduction)?,
                max_offline_hours,
                max_offline_sale: rial("--max-offline-sale", max_offline_sale)?,
                max_unsynced_total: rial("--max-unsynced-total", max_unsynced_total)?,
                retention_days,
            };
            let settings = if change == SettingsChange::default() {
                storage.settings(tenant).await?
            } else {
                let s = storage.update_settings(tenant, change, now).await?;
                announce(&*storage, tenant).await;
                s
            };
            println!("{}", serde_json::to_string_pretty(&settings)?);
        }
        Command::Prune { tenant } => {
            let pruned = zargar_server::retention::prune_shop(&*storage, tenant, now).await?;
            println!("{}", serde_json::to_string_pretty(&pruned)?);
        }
        Command::Openapi | Command::TaxId { .. } => {}
        Command::Tax { command } => {
            tax_cmd::run(storage.clone(), command, tax_cmd::config(file.tax.clone(), &database), now).await?
        }
        Command::Audit { tenant } => {
            for e in storage.audit_log(tenant).await? {
                println!("{}", serde_json::to_string(&e)?);
            }
        }
    }
    storage.close();
    Ok(())
}

/// `migrate`: SQLite migrates on open; PostgreSQL as the owner, with grants.
async fn run_migrate(url: Option<String>, db: Option<PathBuf>, app_role: &str) -> anyhow::Result<()> {
    match url {
        Some(url) => {
            let mut client = migrate::connect(&url).await.context("connecting to PostgreSQL")?;
            let at = migrate::migrate(&mut client, app_role).await?;
            println!("schema {at}; role {app_role} may serve");
        }
        None => {
            let path = db.unwrap_or_else(|| PathBuf::from(DEFAULT_DB));
            let storage =
                Database::Sqlite(path.clone()).open(1).await.with_context(|| format!("opening {}", path.display()))?;
            storage.close();
            println!("{} is up to date", path.display());
        }
    }
    Ok(())
}

/// `migrate-to`: the SQLite file named by `--db` into PostgreSQL.
async fn run_migrate_to(url: Option<String>, db: Option<PathBuf>) -> anyhow::Result<()> {
    let url = url
        .filter(|u| postgres::is_postgres_url(u))
        .ok_or_else(|| anyhow!("--database-url: the PostgreSQL database to copy into"))?;
    let source = db.ok_or_else(|| anyhow!("--db: the SQLite database to copy"))?;
    if !source.is_file() {
        bail!("{} is not a file", source.display());
    }
    let mut client = migrate::connect(&url).await.context("connecting to PostgreSQL")?;
    let copied = zargar_server::storage::copy::sqlite_to_postgres(&source, &mut client).await?;
    for (table, n) in copied {
        println!("{table}\t{n}");
    }
    Ok(())
}

/// Each device's request rate, and the whole server's enrolments.
struct Limits {
    device: RateLimit,
    enrol: RateLimit,
}

/// `notices_url`: on PostgreSQL, where to listen for the other processes'
/// change notices.
async fn serve(
    storage: Arc<dyn Storage>,
    listen: &str,
    limits: Limits,
    timeout: u64,
    notices_url: Option<String>,
    feeds: Vec<zargar_server::feed::PriceFeed>,
    tax: Option<zargar_server::tax::queue::TaxQueue>,
) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let state = AppState::new(storage.clone(), limits.device, limits.enrol, Duration::from_secs(timeout));
    if let Some(url) = notices_url {
        postgres::notices::start(url, Arc::clone(&state.notices));
    }
    zargar_server::feed::start(storage.clone(), Arc::clone(&state.notices), feeds);
    if let Some(queue) = tax {
        zargar_server::tax::queue::start(queue.telling(Arc::clone(&state.notices)));
    }
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr()?;
    // The first line on stdout is the address: tests and scripts read it when
    // they asked for port 0.
    println!("listening on http://{addr}");
    std::io::stdout().flush()?;
    tracing::info!(%addr, "serving");
    let notices = Arc::clone(&state.notices);
    let stopping = async move {
        shutdown_signal().await;
        // Live streams never end by themselves: end them, or the graceful
        // shutdown would wait for every till to hang up.
        notices.close();
    };
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(stopping).await?;
    tracing::info!("stopped; in-flight requests finished");
    storage.close();
    Ok(())
}

/// Tells the shop's tills of an administrator's change; a failure only
/// delays what they learn anyway at their next round.
async fn announce(storage: &dyn Storage, tenant: Uuid) {
    if let Err(e) = storage.announce(tenant).await {
        eprintln!("the shop's tills learn of this at their next round (no notice sent: {e})");
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
