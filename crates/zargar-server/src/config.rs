//! The server's config file (`--config FILE`, or `ZARGAR_SERVER_CONFIG`): a
//! small TOML file that gives the defaults a packaged service runs with.
//!
//! A flag on the command line wins over its environment variable, which
//! wins over the file, which wins over the built-in default. An unknown key
//! or a bad value is refused, naming the file, the line and the key.

use std::num::{NonZeroU32, NonZeroU64};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Deserializer};

/// What the file may say; every key is optional.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// The address `serve` listens on, `host:port`.
    #[serde(default, deserialize_with = "listen_address")]
    pub listen: Option<String>,
    /// The SQLite database; a relative path is taken from the file's folder.
    #[serde(default, deserialize_with = "non_empty_path")]
    pub database: Option<PathBuf>,
    /// A PostgreSQL database instead of the SQLite file (`postgres://…`).
    #[serde(default, deserialize_with = "postgres_url")]
    pub database_url: Option<String>,
    /// PostgreSQL: a direct URL for the change notices between server
    /// processes, when `database_url` goes through pgbouncer.
    #[serde(default, deserialize_with = "postgres_url")]
    pub notices_database_url: Option<String>,
    /// PostgreSQL connections one server process keeps.
    #[serde(default)]
    pub pool_size: Option<NonZeroU32>,
    /// Requests one device may make per second, sustained.
    #[serde(default)]
    pub rate_per_second: Option<NonZeroU32>,
    /// Requests one device may make at once.
    #[serde(default)]
    pub rate_burst: Option<NonZeroU32>,
    /// Seconds before a request is answered 408.
    #[serde(default)]
    pub request_timeout_seconds: Option<NonZeroU64>,
    /// The day's gold price from a live source, per shop (`[[price_feed]]`).
    #[serde(default)]
    pub price_feed: Vec<zargar_server::feed::PriceFeed>,
    /// Moadian invoices (`[tax]`): the API's address, the server's secret
    /// file and the queue's pace.
    #[serde(default)]
    pub tax: Option<zargar_server::tax::queue::TaxConfig>,
}

impl ServerConfig {
    /// Reads and checks `path`. A missing file is an error: it was asked for.
    pub fn load(path: &Path) -> anyhow::Result<ServerConfig> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading config file {}", path.display()))?;
        let mut config = ServerConfig::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let base = path.parent().unwrap_or_else(|| Path::new(""));
        if let Some(db) = config.database.take() {
            config.database = Some(base.join(db));
        }
        if let Some(tax) = config.tax.as_mut() {
            tax.secret_file = base.join(&tax.secret_file);
        }
        Ok(config)
    }

    /// Parses the file's text; the error says `line N: key: what is wrong`.
    pub fn parse(text: &str) -> Result<ServerConfig, String> {
        toml::from_str(text).map_err(|e| describe(text, &e))
    }
}

/// `line N: key `k`: message`, from the error's byte span.
fn describe(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim_end();
    let Some(span) = e.span() else {
        return message.to_owned();
    };
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_no = text[..start].matches('\n').count() + 1;
    let line = text[line_start..].lines().next().unwrap_or("");
    match line.split_once('=').map(|(k, _)| k.trim().trim_matches(|c| c == '"' || c == '\'')) {
        Some(key) if !key.is_empty() && !key.starts_with('#') && !key.starts_with('[') => {
            format!("line {line_no}: key `{key}`: {message}")
        }
        _ => format!("line {line_no}: {message}"),
    }
}

fn listen_address<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    check_listen(&s).map_err(serde::de::Error::custom)?;
    Ok(Some(s))
}

/// `host:port` with a port number: `127.0.0.1:8080`, `[::1]:8080`, `localhost:8080`.
pub fn check_listen(s: &str) -> anyhow::Result<()> {
    if s.parse::<std::net::SocketAddr>().is_ok() {
        return Ok(());
    }
    match s.rsplit_once(':') {
        Some((host, port))
            if !host.is_empty() && !host.contains(char::is_whitespace) && port.parse::<u16>().is_ok() =>
        {
            Ok(())
        }
        _ => bail!("{s:?} is not an address and port such as \"127.0.0.1:8080\""),
    }
}

fn postgres_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    if !zargar_server::storage::postgres::is_postgres_url(&s) {
        return Err(serde::de::Error::custom("a postgres:// or postgresql:// URL"));
    }
    Ok(Some(s))
}

fn non_empty_path<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Err(serde::de::Error::custom("the database path is empty"));
    }
    Ok(Some(PathBuf::from(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_read() {
        let c = ServerConfig::parse(
            "# comment\nlisten = \"0.0.0.0:9000\"\ndatabase = \"/var/lib/zargar/server.db\"\n\
             rate_per_second = 5\nrate_burst = 9\nrequest_timeout_seconds = 12\n",
        )
        .expect("a good file");
        assert_eq!(c.listen.as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(c.database, Some(PathBuf::from("/var/lib/zargar/server.db")));
        assert_eq!(c.rate_per_second.map(NonZeroU32::get), Some(5));
        assert_eq!(c.rate_burst.map(NonZeroU32::get), Some(9));
        assert_eq!(c.request_timeout_seconds.map(NonZeroU64::get), Some(12));
        assert_eq!(ServerConfig::parse("").expect("an empty file"), ServerConfig::default());
    }

    #[test]
    fn the_packaged_file_is_valid() {
        let text = include_str!("../../../packaging/server/server.toml");
        let c = ServerConfig::parse(text).expect("packaging/server/server.toml");
        assert_eq!(c.listen.as_deref(), Some("127.0.0.1:8080"));
        assert_eq!(c.database, Some(PathBuf::from("/var/lib/zargar/server.db")));
    }

    #[test]
    fn errors_name_the_line_and_the_key() {
        let e = ServerConfig::parse("listen = \"127.0.0.1:8080\"\n\nlisen = \"x\"\n").expect_err("unknown key");
        assert!(e.starts_with("line 3: key `lisen`: unknown field `lisen`"), "{e}");
        let e = ServerConfig::parse("# c\nrate_burst = -1\n").expect_err("negative");
        assert!(e.starts_with("line 2: key `rate_burst`: "), "{e}");
        let e = ServerConfig::parse("rate_per_second = 0\n").expect_err("zero");
        assert!(e.starts_with("line 1: key `rate_per_second`: "), "{e}");
        let e = ServerConfig::parse("a = 1\nlisten = \"8080\"\n").expect_err("no port");
        assert!(e.starts_with("line 1: key `a`"), "the first error is reported: {e}");
        let e = ServerConfig::parse("listen = \"localhost\"\n").expect_err("no port");
        assert!(e.contains("line 1: key `listen`: \"localhost\" is not an address"), "{e}");
        let e = ServerConfig::parse("database = \"\"\n").expect_err("empty");
        assert!(e.contains("line 1: key `database`"), "{e}");
        let e = ServerConfig::parse("listen = \n").expect_err("syntax");
        assert!(e.starts_with("line 1"), "{e}");
    }

    #[test]
    fn listen_addresses() {
        for ok in ["127.0.0.1:8080", "[::1]:0", "localhost:8080", "0.0.0.0:443"] {
            assert!(check_listen(ok).is_ok(), "{ok}");
        }
        for bad in ["", "8080", ":8080", "127.0.0.1", "127.0.0.1:http", "a b:80", "127.0.0.1:70000"] {
            assert!(check_listen(bad).is_err(), "{bad}");
        }
    }
}
