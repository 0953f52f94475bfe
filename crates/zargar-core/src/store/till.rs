//! What belongs to this till alone: its language, the owner as the shop's
//! people know them, and the warnings the status bar shows (stale gold price, too long
//! offline, too much unsent).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use rust_decimal::Decimal;

use super::Store;
use super::people::{PersonEdit, normalize_pin};
use crate::error::{Arg, StoreError};
use crate::i18n::Lang;
use crate::preset::Preset;
use crate::store::SettingKey;
use zargar_rules::money::Rial;
use zargar_wire::Role;

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

    /// The owner, once one is on record: the first active owner of the
    /// shop's people.
    pub fn owner(&self) -> Result<Option<Owner>, StoreError> {
        Ok(self.people()?.into_iter().find(|p| p.active && p.role == Role::Owner).map(|p| Owner { name: p.name }))
    }

    /// Sets the owner's name and PIN: the shop's first person, or the owner
    /// changing their own. Changing needs the current PIN, so a cashier at
    /// an unlocked screen cannot take the owner's place.
    pub fn set_owner_pin(&mut self, name: &str, pin: &str, current: Option<&str>) -> Result<Owner, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::OwnerNameRequired);
        }
        normalize_pin(pin).map_err(|_| StoreError::OwnerPinWeak)?;
        let owner = self.people()?.into_iter().find(|p| p.active && p.role == Role::Owner);
        let edit = PersonEdit {
            id: owner.as_ref().map(|o| o.id),
            name: Some(name.to_owned()),
            role: Some(Role::Owner),
            pin: Some(pin.to_owned()),
            ..PersonEdit::default()
        };
        let actor = match owner {
            None => None,
            Some(_) => Some(self.is_owner_pin(current.unwrap_or_default())?.ok_or(StoreError::OwnerPinWrong)?),
        };
        let saved = self.save_person_as(&edit, actor.as_ref(), Utc::now())?;
        Ok(Owner { name: saved.name })
    }

    /// True when `pin` is an owner's. A shop without an owner refuses.
    pub fn check_owner_pin(&self, pin: &str) -> Result<bool, StoreError> {
        if self.owner()?.is_none() {
            return Err(StoreError::OwnerPinMissing);
        }
        Ok(self.is_owner_pin(pin)?.is_some())
    }

    /// A till set up before people existed kept the owner's name and PIN
    /// hash as its own: they become the shop's owner, sent to the server
    /// as its first person.
    pub(super) fn adopt_legacy_owner(&mut self) -> Result<(), StoreError> {
        let Some(hash) = self.pref(OWNER_PIN)? else { return Ok(()) };
        if !self.people()?.is_empty() {
            return self.forget_legacy_owner();
        }
        let name = self.pref(OWNER_NAME)?.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "مالک".to_owned());
        self.adopt_owner(&name, &hash, Utc::now())?;
        self.forget_legacy_owner()
    }

    fn forget_legacy_owner(&mut self) -> Result<(), StoreError> {
        self.conn.execute("DELETE FROM till_prefs WHERE key IN (?1, ?2)", params![OWNER_NAME, OWNER_PIN])?;
        Ok(())
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
