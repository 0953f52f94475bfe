//! The day's gold price: per gram of 18k, entered directly or derived from
//! the market's mesghal (مظنه) quote. The newest entry is the one in force.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::money::Rial;
use crate::pricing::per_gram_from_mazaneh;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceOrigin {
    /// Entered on this till.
    Till,
    /// Pulled from the shop's server.
    Server,
}

impl PriceOrigin {
    pub fn code(self) -> &'static str {
        match self {
            PriceOrigin::Till => "till",
            PriceOrigin::Server => "server",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldPrice {
    pub id: Uuid,
    /// Rial per gram of 18k gold (purity 750).
    pub per_gram_18k: Rial,
    /// The mesghal quote it came from, when it did.
    pub mazaneh: Option<Rial>,
    pub set_at: DateTime<Utc>,
    pub origin: PriceOrigin,
}

/// How a person enters the price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceEntry {
    PerGram18k(Rial),
    Mazaneh(Rial),
}

impl PriceEntry {
    /// (per gram of 18k, mazaneh if given)
    pub fn resolve(self) -> (Rial, Option<Rial>) {
        match self {
            PriceEntry::PerGram18k(p) => (p, None),
            PriceEntry::Mazaneh(m) => (per_gram_from_mazaneh(m), Some(m)),
        }
    }
}
