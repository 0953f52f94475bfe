//! The day's gold price from a shop's live feed: the server polls an HTTP
//! JSON source, reads the quote at a JSON pointer (a gram of 18k, or the
//! mesghal), and stores it as the shop's price, which every till pulls,
//! only when it keeps to the shop's bounds: a floor, a ceiling and a
//! largest step from the last price. A feed that fails, answers garbage or
//! jumps is logged and ignored: the tills keep the last price and show its
//! age, and the owner can always set the price by hand.

use std::num::NonZeroU64;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;
use zargar_rules::pricing::per_gram_from_mazaneh;
use zargar_rules::{Percent, Rial};
use zargar_wire::{GoldPricePayload, PriceScope};

use crate::live::{Notice, Notices};
use crate::storage::{Storage, StorageError};

/// Who a feed's price is set by, on the wire and in the audit log.
pub const FEED: &str = "feed";

/// The most of a feed's answer that is read.
const MAX_BODY: usize = 64 * 1024;

/// Where a shop's day price comes from, and the bounds a quote must keep to
/// be stored: the feed is a third party, and a slip there must not price
/// the shop's sales.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceFeed {
    pub tenant: uuid::Uuid,
    /// An `http://` or `https://` URL answering JSON.
    pub url: String,
    /// A JSON pointer to the quote in the answer (`/data/gold18`): a number,
    /// or a string of digits with separators (Persian digits too).
    pub pointer: String,
    /// What the quote is: a gram of 18k, or the mesghal (مظنه).
    pub quote: FeedQuote,
    /// Seconds between polls.
    #[serde(default = "default_feed_every")]
    pub every_seconds: NonZeroU64,
    /// The most a quote may move from the shop's last price, in percent.
    pub max_change_percent: u32,
    /// Bounds on the gram of 18k, in Rial.
    pub floor: u64,
    pub ceiling: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum FeedQuote {
    #[serde(rename = "gram_18k")]
    Gram18k,
    #[serde(rename = "mesghal")]
    Mesghal,
}

fn default_feed_every() -> NonZeroU64 {
    NonZeroU64::new(60).unwrap_or(NonZeroU64::MIN)
}

/// What one poll made of the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// A new price, stored as the shop's.
    Stored(Rial),
    /// The same price as the shop's: nothing to store.
    Unchanged,
    /// Not stored, and why.
    Ignored(String),
}

/// The quote at `pointer`: a JSON number, or a string of digits with
/// thousands separators (Persian or ASCII digits).
fn quote_at(body: &[u8], pointer: &str) -> Result<Decimal, String> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let at = v.pointer(pointer).ok_or_else(|| format!("nothing at {pointer}"))?;
    let text = match at {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s
            .chars()
            .filter(|c| !matches!(c, ',' | '٬' | '،' | ' ' | '\u{200c}'))
            .map(|c| match c {
                '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
                '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
                '٫' => '.',
                c => c,
            })
            .collect(),
        other => return Err(format!("{pointer} is {other}, not a number")),
    };
    text.parse::<Decimal>().map_err(|_| format!("{pointer} is {text:?}, not a number"))
}

/// The gram of 18k a quote stands for, if it keeps to the feed's bounds
/// and moves at most `max_change_percent` from `last`.
pub fn judge(feed: &PriceFeed, quote: Decimal, last: Option<Rial>) -> Result<Rial, String> {
    let quoted =
        Rial::whole(quote.trunc()).filter(|r| *r > Rial::ZERO).ok_or_else(|| format!("{quote} is no price"))?;
    let per_gram = match feed.quote {
        FeedQuote::Gram18k => quoted,
        FeedQuote::Mesghal => per_gram_from_mazaneh(quoted),
    };
    let (floor, ceiling) = (Decimal::from(feed.floor), Decimal::from(feed.ceiling));
    if per_gram.decimal() < floor || per_gram.decimal() > ceiling {
        return Err(format!("{per_gram} a gram is outside {floor}..{ceiling}"));
    }
    if let Some(last) = last.filter(|l| *l > Rial::ZERO) {
        let step = (per_gram.decimal() - last.decimal()).abs() * Decimal::ONE_HUNDRED;
        let allowed = Percent::from_u32(feed.max_change_percent.min(100)).map_or(Decimal::ZERO, Percent::decimal);
        if step > allowed * last.decimal() {
            return Err(format!("{per_gram} a gram is more than {allowed}% from the last price {last}"));
        }
    }
    Ok(per_gram)
}

/// Polls the feed once and stores what it says when it holds.
pub async fn poll_once(
    storage: &dyn Storage,
    feed: &PriceFeed,
    http: &reqwest::Client,
    now: DateTime<Utc>,
) -> Result<Reading, StorageError> {
    let body = match fetch(http, &feed.url).await {
        Ok(b) => b,
        Err(why) => return Ok(Reading::Ignored(why)),
    };
    let quote = match quote_at(&body, &feed.pointer) {
        Ok(q) => q,
        Err(why) => return Ok(Reading::Ignored(why)),
    };
    let last = storage.gold_price(feed.tenant).await?.and_then(|p| Rial::whole(p.per_gram_18k));
    let per_gram = match judge(feed, quote, last) {
        Ok(p) => p,
        Err(why) => return Ok(Reading::Ignored(why)),
    };
    if last == Some(per_gram) {
        return Ok(Reading::Unchanged);
    }
    let price = GoldPricePayload {
        price_id: Uuid::now_v7(),
        per_gram_18k: per_gram.decimal(),
        mazaneh: (feed.quote == FeedQuote::Mesghal).then(|| quote.trunc()),
        set_at: now,
        scope: PriceScope::Shop,
        set_by: Some(FEED.to_owned()),
        set_at_till: None,
    };
    storage.set_gold_price(feed.tenant, price).await?;
    Ok(Reading::Stored(per_gram))
}

async fn fetch(http: &reqwest::Client, url: &str) -> Result<Vec<u8>, String> {
    let mut answer = http.get(url).send().await.map_err(|e| format!("unreachable: {e}"))?;
    if !answer.status().is_success() {
        return Err(format!("answered {}", answer.status()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = answer.chunk().await.map_err(|e| format!("cut off: {e}"))? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BODY {
            return Err(format!("more than {MAX_BODY} bytes"));
        }
    }
    Ok(body)
}

/// Polls each feed every `every_seconds` for as long as the server runs;
/// a stored price is announced to the shop's connected tills at once.
pub fn start(storage: Arc<dyn Storage>, notices: Arc<Notices>, feeds: Vec<PriceFeed>) {
    if feeds.is_empty() {
        return;
    }
    let http = match reqwest::Client::builder().timeout(Duration::from_secs(10)).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "price feeds: no HTTP client");
            return;
        }
    };
    for feed in feeds {
        let (storage, notices, http) = (Arc::clone(&storage), Arc::clone(&notices), http.clone());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(feed.every_seconds.get()));
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                match poll_once(storage.as_ref(), &feed, &http, Utc::now()).await {
                    Ok(Reading::Stored(p)) => {
                        tracing::info!(tenant = %feed.tenant, per_gram_18k = %p, "feed price stored");
                        notices.changed(feed.tenant, Notice { origin: None });
                    }
                    Ok(Reading::Unchanged) => {}
                    Ok(Reading::Ignored(why)) => {
                        tracing::warn!(tenant = %feed.tenant, url = %feed.url, %why, "feed quote ignored")
                    }
                    Err(e) => tracing::warn!(tenant = %feed.tenant, error = %e, "feed price not stored"),
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(quote: FeedQuote) -> PriceFeed {
        PriceFeed {
            tenant: Uuid::nil(),
            url: "http://127.0.0.1:1/".into(),
            pointer: "/data/price".into(),
            quote,
            every_seconds: NonZeroU64::MIN,
            max_change_percent: 5,
            floor: 50_000_000,
            ceiling: 150_000_000,
        }
    }

    #[test]
    fn a_quote_is_read_as_written_and_held_to_the_bounds_and_the_step() {
        let q = |body: &str| quote_at(body.as_bytes(), "/data/price");
        assert_eq!(q(r#"{"data":{"price":81000000}}"#), Ok(Decimal::from(81_000_000)));
        assert_eq!(q(r#"{"data":{"price":"۸۱٬۰۰۰٬۰۰۰"}}"#), Ok(Decimal::from(81_000_000)));
        assert!(q(r#"{"data":{"price":"soon"}}"#).is_err() && q("<html>").is_err() && q("{}").is_err());
        let f = feed(FeedQuote::Gram18k);
        let last = Some(Rial::from_i64(80_000_000));
        assert_eq!(judge(&f, Decimal::from(84_000_000), last), Ok(Rial::from_i64(84_000_000)));
        assert!(judge(&f, Decimal::from(84_000_001), last).is_err(), "more than 5%");
        assert!(judge(&f, Decimal::from(800_000_000), None).is_err(), "above the ceiling");
        assert!(judge(&f, Decimal::from(8_000_000), None).is_err(), "below the floor");
        assert!(judge(&f, Decimal::from(-1), None).is_err());
        // The mesghal quote of 80,000,000 a gram of 18k.
        assert_eq!(judge(&feed(FeedQuote::Mesghal), Decimal::from(346_544_000), last), Ok(Rial::from_i64(80_000_000)));
    }
}
