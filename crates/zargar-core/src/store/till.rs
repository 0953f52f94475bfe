//! What belongs to this till alone: its language, the owner's name and PIN,
//! and the warnings the status bar shows (stale gold price, too long
//! offline, too much unsent).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use rust_decimal::Decimal;

use super::Store;
use crate::error::{Arg, StoreError};
use crate::i18n::Lang;
use crate::persian;
use crate::preset::Preset;
use crate::store::SettingKey;
use zargar_rules::money::Rial;

const LANG: &str = "lang";
const OWNER_NAME: &str = "owner_name";
const OWNER_PIN: &str = "owner_pin_argon2";
/// The shop's server named by the fleet preset, until the till is enrolled.
const PRESET_SERVER: &str = "preset_server_url";

/// The owner as this till knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub name: String,
}

/// Something the till's people should see now, though selling goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TillAlert {
    NoGoldPrice,
    StalePrice {
        age_hours: i64,
        limit_hours: u32,
    },
    /// Enrolled, with sales waiting, and no successful sync for too long.
    OfflineTooLong {
        hours: i64,
        limit_hours: u32,
    },
    UnsyncedOverLimit {
        total: Rial,
        limit: Rial,
    },
}

impl TillAlert {
    pub fn code(&self) -> &'static str {
        match self {
            TillAlert::NoGoldPrice => "no_gold_price",
            TillAlert::StalePrice { .. } => "stale_price",
            TillAlert::OfflineTooLong { .. } => "offline_too_long",
            TillAlert::UnsyncedOverLimit { .. } => "unsynced_over_limit",
        }
    }

    pub fn message_id(&self) -> String {
        format!("alert-{}", self.code().replace('_', "-"))
    }

    pub fn args(&self) -> Vec<(&'static str, Arg)> {
        let n = |v: i64| Arg::Number(Decimal::from(v));
        match self {
            TillAlert::NoGoldPrice => Vec::new(),
            TillAlert::StalePrice { age_hours, limit_hours } => {
                vec![("hours", n(*age_hours)), ("limit", n(i64::from(*limit_hours)))]
            }
            TillAlert::OfflineTooLong { hours, limit_hours } => {
                vec![("hours", n(*hours)), ("limit", n(i64::from(*limit_hours)))]
            }
            TillAlert::UnsyncedOverLimit { total, limit } => {
                vec![("total", Arg::Money(*total)), ("limit", Arg::Money(*limit))]
            }
        }
    }
}

/// A PIN is 4 to 8 digits, Persian or ASCII; stored folded.
fn normalize_pin(pin: &str) -> Result<String, StoreError> {
    let pin = persian::fold_digits(pin.trim());
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(pin)
    } else {
        Err(StoreError::OwnerPinWeak)
    }
}

impl Store {
    pub(super) fn pref(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM till_prefs WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    pub(super) fn set_prefs(&mut self, pairs: &[(&str, &str)]) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        for (key, value) in pairs {
            tx.prepare_cached(
                "INSERT INTO till_prefs (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, value])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The language this till's screens speak (Persian until changed).
    pub fn language(&self) -> Result<Lang, StoreError> {
        Ok(self.pref(LANG)?.and_then(|code| Lang::ALL.into_iter().find(|l| l.code() == code)).unwrap_or_default())
    }

    pub fn set_language(&mut self, lang: Lang) -> Result<(), StoreError> {
        self.set_prefs(&[(LANG, lang.code())])
    }

    /// A new till takes the fleet preset's language, display unit and
    /// server; the till's own settings win from then on.
    pub fn apply_preset(&mut self, preset: &Preset) -> Result<(), StoreError> {
        if let Some(lang) = preset.language {
            self.set_language(lang)?;
        }
        if let Some(unit) = preset.display_unit {
            self.set_setting(SettingKey::DisplayUnit, unit.code())?;
        }
        if let Some(url) = &preset.server_url {
            self.set_prefs(&[(PRESET_SERVER, url)])?;
        }
        Ok(())
    }

    /// The server the fleet preset named for this till, if any.
    pub fn preset_server_url(&self) -> Result<Option<String>, StoreError> {
        self.pref(PRESET_SERVER)
    }

    /// The owner, once a PIN has been set.
    pub fn owner(&self) -> Result<Option<Owner>, StoreError> {
        if self.pref(OWNER_PIN)?.is_none() {
            return Ok(None);
        }
        Ok(Some(Owner { name: self.pref(OWNER_NAME)?.unwrap_or_default() }))
    }

    /// Sets the owner's name and PIN. Changing an existing PIN needs the
    /// current one, so a cashier at an unlocked screen cannot take it over.
    pub fn set_owner_pin(&mut self, name: &str, pin: &str, current: Option<&str>) -> Result<Owner, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::OwnerNameRequired);
        }
        let pin = normalize_pin(pin)?;
        if self.pref(OWNER_PIN)?.is_some() && !self.check_owner_pin(current.unwrap_or_default())? {
            return Err(StoreError::OwnerPinWrong);
        }
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
            .map_err(|e| StoreError::Corrupt(format!("salt: {e}")))?;
        let hash = Argon2::default()
            .hash_password(pin.as_bytes(), &salt)
            .map_err(|e| StoreError::Corrupt(format!("argon2: {e}")))?
            .to_string();
        self.set_prefs(&[(OWNER_NAME, name), (OWNER_PIN, &hash)])?;
        Ok(Owner { name: name.to_owned() })
    }

    /// True when `pin` is the owner's. A till without an owner PIN refuses.
    pub fn check_owner_pin(&self, pin: &str) -> Result<bool, StoreError> {
        let stored = self.pref(OWNER_PIN)?.ok_or(StoreError::OwnerPinMissing)?;
        let hash = PasswordHash::new(&stored).map_err(|_| StoreError::Corrupt("owner pin hash".into()))?;
        let Ok(pin) = normalize_pin(pin) else { return Ok(false) };
        Ok(Argon2::default().verify_password(pin.as_bytes(), &hash).is_ok())
    }

    /// What the status bar warns about now.
    pub fn alerts(&self, now: DateTime<Utc>) -> Result<Vec<TillAlert>, StoreError> {
        let mut alerts = Vec::new();
        let shop = self.settings()?;
        match self.current_gold_price()? {
            None => alerts.push(TillAlert::NoGoldPrice),
            Some(p) => {
                let age = now - p.set_at;
                if age.num_seconds() > i64::from(shop.price_max_age_hours) * 3600 {
                    alerts.push(TillAlert::StalePrice {
                        age_hours: age.num_hours(),
                        limit_hours: shop.price_max_age_hours,
                    });
                }
            }
        }
        let Some(link) = self.sync_link()? else { return Ok(alerts) };
        let policy = self.policy()?;
        let unsent = super::policy::unsent_sales(&self.conn)?;
        if let Some(limit_hours) = policy.max_offline_hours
            && unsent.count > 0
        {
            let since = link.last_success.unwrap_or(link.enrolled_at);
            let hours = (now - since).num_hours();
            if hours >= i64::from(limit_hours) {
                alerts.push(TillAlert::OfflineTooLong { hours, limit_hours });
            }
        }
        if let Some(limit) = policy.max_unsynced_total
            && unsent.total > limit
        {
            alerts.push(TillAlert::UnsyncedOverLimit { total: unsent.total, limit });
        }
        Ok(alerts)
    }
}
