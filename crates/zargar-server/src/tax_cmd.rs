//! `zargar-server tax-id` and `zargar-server tax …`: the shop's legal
//! identity (its key sealed as it is read), its invoices, and a pass of the
//! queue now, for IT.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use uuid::Uuid;
use zargar_rules::tax_id::{MemoryId, TaxId};
use zargar_server::storage::tax::StoredTaxIdentity;
use zargar_server::storage::{Database, Storage};
use zargar_server::tax::invoice::GoodsCodes;
use zargar_server::tax::queue::{TaxConfig, TaxQueue};
use zargar_server::tax::secret::Secret;
use zargar_server::tax::sign::ShopSigner;
use zargar_wire::LegalIdentity;

/// The goods codes when the owner names none: gold jewelry, and precious
/// stones. Check them against the tax organisation's catalogue.
const GOLD_CODE: &str = "2710000044666";
const STONES_CODE: &str = "2710000138624";

// Parsed once from the command line: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum TaxCommand {
    /// Set the shop's legal identity: printed on every invoice, and what
    /// its Moadian invoices are signed as. The key is sealed under the
    /// server's secret before it is stored; it never reaches a till.
    Identity {
        #[arg(long)]
        tenant: Uuid,
        /// The registered name.
        #[arg(long)]
        name: String,
        #[arg(long)]
        economic_code: String,
        #[arg(long)]
        national_id: String,
        #[arg(long)]
        postal_code: String,
        #[arg(long)]
        address: String,
        #[arg(long)]
        phone: String,
        /// The six-character memory id (شناسه یکتای حافظه مالیاتی).
        #[arg(long)]
        memory_id: String,
        /// The private key (PEM) the tax organisation knows the shop by.
        #[arg(long)]
        key: PathBuf,
        /// Its certificate (PEM).
        #[arg(long)]
        cert: PathBuf,
        /// The goods code of a gold piece.
        #[arg(long, default_value = GOLD_CODE)]
        gold_code: String,
        /// The goods code of a piece's stones.
        #[arg(long, default_value = STONES_CODE)]
        stones_code: String,
    },
    /// The shop's invoices, newest first, one JSON object per line.
    List {
        #[arg(long)]
        tenant: Uuid,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Send and ask after what is due now, as the serving queue does.
    Send {
        #[arg(long)]
        tenant: Uuid,
    },
}

/// `tax-id`: the id of serial `serial` issued on `date` (UTC).
pub fn tax_id(memory_id: &str, date: NaiveDate, serial: u64) -> anyhow::Result<String> {
    let memory = MemoryId::parse(memory_id)?;
    let day = date.signed_duration_since(NaiveDate::default()).num_days();
    Ok(TaxId::from_day(&memory, day, serial)?.to_string())
}

/// The queue's settings: `[tax]` from the config file, whether it was
/// there; without it the defaults, with the secret beside a SQLite database
/// (where the server's user may write), else in the working folder.
pub fn config(file: Option<TaxConfig>, database: &Database) -> (TaxConfig, bool) {
    match file {
        Some(c) => (c, true),
        None => {
            let mut c = TaxConfig::default();
            if let Database::Sqlite(db) = database {
                c.secret_file = db.parent().unwrap_or_else(|| Path::new("")).join(&c.secret_file);
            }
            (c, false)
        }
    }
}

/// The serving queue, when this server sends invoices: `[tax]` is in the
/// config file, or the secret file exists (a shop's identity was set).
pub fn queue(storage: Arc<dyn Storage>, (config, explicit): (TaxConfig, bool)) -> anyhow::Result<Option<TaxQueue>> {
    if !explicit && !config.secret_file.exists() {
        return Ok(None);
    }
    let secret = Secret::load(&config.secret_file).with_context(|| "the tax queue needs the server's secret file")?;
    Ok(Some(TaxQueue::new(storage, None, secret, config)?))
}

pub async fn run(
    storage: Arc<dyn Storage>,
    command: TaxCommand,
    config: (TaxConfig, bool),
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    match command {
        TaxCommand::Identity {
            tenant,
            name,
            economic_code,
            national_id,
            postal_code,
            address,
            phone,
            memory_id,
            key,
            cert,
            gold_code,
            stones_code,
        } => {
            let memory = MemoryId::parse(&memory_id)?;
            let digits = |what: &str, s: &str, lens: &[usize]| {
                if s.chars().all(|c| c.is_ascii_digit()) && lens.contains(&s.len()) {
                    Ok(())
                } else {
                    bail!("{what}: {lens:?} digits")
                }
            };
            digits("--economic-code", &economic_code, &[11, 12, 13, 14])?;
            digits("--national-id", &national_id, &[10, 11])?;
            digits("--postal-code", &postal_code, &[10])?;
            digits("--gold-code", &gold_code, &[13])?;
            digits("--stones-code", &stones_code, &[13])?;
            let key_pem = std::fs::read_to_string(&key).with_context(|| format!("reading {}", key.display()))?;
            let cert_pem = std::fs::read_to_string(&cert).with_context(|| format!("reading {}", cert.display()))?;
            ShopSigner::new(&key_pem, &cert_pem)?;
            let secret = Secret::load_or_create(&config.0.secret_file)?;
            let identity = StoredTaxIdentity {
                legal: LegalIdentity { name, economic_code, national_id, postal_code, address, phone },
                memory_id: memory.to_string(),
                codes: GoodsCodes { gold: gold_code, stones: stones_code },
                cert_pem,
                sealed_key: secret.seal(&key_pem, tenant)?,
            };
            storage.set_tax_identity(tenant, identity, now).await?;
            if let Err(e) = storage.announce(tenant).await {
                eprintln!("the shop's tills learn of this at their next round (no notice sent: {e})");
            }
            println!("the shop's invoices are signed as {memory} from now on");
        }
        TaxCommand::List { tenant, limit } => {
            for row in storage.tax_invoices(tenant, limit).await? {
                println!("{}", serde_json::to_string(&row.state)?);
            }
        }
        TaxCommand::Send { tenant } => {
            let Some(queue) = queue(Arc::clone(&storage), config)? else {
                bail!("no shop's identity is set on this server");
            };
            let pass = queue.pass(tenant, now).await?;
            println!(
                "sent {}, accepted {}, rejected {}, waiting {}",
                pass.sent, pass.accepted, pass.rejected, pass.failed
            );
        }
    }
    Ok(())
}
