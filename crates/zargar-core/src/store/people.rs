//! The shop's people at this till: pulled from the server or set up here
//! (and pushed), signed in with their PIN, and held to their role.
//!
//! A shop that has set up no one but its owner works as before: nobody signs
//! in, ops carry no person, and the owner's screens open with the owner's
//! PIN. Once the owner adds someone, each action needs a person signed in
//! whose role allows it (`zargar_rules::roles`).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;
use zargar_rules::money::Percent;
use zargar_rules::roles::{Act, may};
use zargar_wire::{Base, OpBody, PersonPayload, PersonRef, Role};

use super::{Store, outbox, parse_dec, parse_uuid, ts};
use crate::error::StoreError;
use crate::owner::OwnerGate;
use crate::persian;

/// A person of the shop, as this till knows them (never their PIN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// What a cashier may take off a sale's making charge and profit.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub discount_limit_percent: Decimal,
}

impl Person {
    pub fn as_ref(&self) -> PersonRef {
        PersonRef { id: self.id, name: self.name.clone() }
    }
}

/// Adding a person (no `id`) or changing one; what is left `None` stays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonEdit {
    pub id: Option<Uuid>,
    pub name: Option<String>,
    pub role: Option<Role>,
    pub pin: Option<String>,
    pub active: Option<bool>,
    pub discount_limit_percent: Option<Decimal>,
}

/// Who is signed in at this till, and the throttle on wrong PINs.
#[derive(Debug, Default)]
pub(super) struct Session {
    person: Option<Person>,
    gate: OwnerGate,
}

/// A discount limit as typed: a percent, `%` or `٪` optional, Persian or
/// ASCII digits (its range is checked when the person is saved).
pub fn parse_discount_limit(typed: &str) -> Result<Decimal, crate::ValidationError> {
    persian::parse_decimal(typed.trim().trim_end_matches(['%', '٪']).trim())
        .map(|d| d.normalize())
        .ok_or_else(|| crate::ValidationError::new(crate::Field::DiscountLimit, typed))
}

/// A PIN is 4 to 8 digits, Persian or ASCII; hashed folded.
pub(super) fn normalize_pin(pin: &str) -> Result<String, StoreError> {
    let pin = persian::fold_digits(pin.trim());
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(pin)
    } else {
        Err(StoreError::PinWeak)
    }
}

pub(super) fn hash_pin(pin: &str) -> Result<String, StoreError> {
    let pin = normalize_pin(pin)?;
    let salt =
        SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|e| StoreError::Corrupt(format!("salt: {e}")))?;
    Ok(Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map_err(|e| StoreError::Corrupt(format!("argon2: {e}")))?
        .to_string())
}

/// True when `pin` matches the stored argon2 hash.
pub(super) fn pin_matches(stored: &str, pin: &str) -> Result<bool, StoreError> {
    let hash = PasswordHash::new(stored).map_err(|_| StoreError::Corrupt("pin hash".into()))?;
    let Ok(pin) = normalize_pin(pin) else { return Ok(false) };
    Ok(Argon2::default().verify_password(pin.as_bytes(), &hash).is_ok())
}

const PERSON_COLUMNS: &str = "id, name, role, active, discount_limit";

fn person_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, bool, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn to_person((id, name, role, active, limit): (String, String, String, bool, String)) -> Result<Person, StoreError> {
    Ok(Person {
        id: parse_uuid(&id)?,
        name,
        role: Role::from_code(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role}")))?,
        active,
        discount_limit_percent: parse_dec(&limit)?,
    })
}

/// Everyone on record, active first, by name.
pub(super) fn people(conn: &Connection) -> Result<Vec<Person>, StoreError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {PERSON_COLUMNS} FROM people ORDER BY active DESC, name, id"))?;
    let rows = stmt.query_map([], person_from_row)?;
    rows.map(|r| to_person(r?)).collect()
}

/// True once the owner has added anyone besides owners: from then on every
/// action needs a person signed in.
pub(super) fn sign_in_required(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM people WHERE active = 1 AND role <> 'owner')")?
        .query_row([], |r| r.get(0))?)
}

/// The PIN hash of an active person, by id.
fn pin_hash(conn: &Connection, id: Uuid) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT pin_hash FROM people WHERE id = ?1 AND active = 1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?)
}

/// Writes a pulled person unless this till already has that version.
pub(super) fn upsert_pulled_person(tx: &Transaction<'_>, version: u64, p: &PersonPayload) -> Result<(), StoreError> {
    write_person_row(tx, p, Some(version), Utc::now())
}

/// A person's row: as pulled at the server's `version` (only when newer
/// than what is here), or as changed at this till (`None`: the server's
/// version stays what it was).
fn write_person_row(
    tx: &Transaction<'_>,
    p: &PersonPayload,
    version: Option<u64>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO people (id, name, role, pin_hash, active, discount_limit, server_version, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, 0), ?8)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,
             active = excluded.active, discount_limit = excluded.discount_limit,
             server_version = coalesce(?7, people.server_version), updated_at = excluded.updated_at
         WHERE ?7 IS NULL OR ?7 > people.server_version",
    )?
    .execute(params![
        p.person_id.to_string(),
        p.name,
        p.role.code(),
        p.pin_hash,
        p.active,
        p.discount_limit_percent.to_string(),
        version.map(|v| v as i64),
        ts(now)
    ])?;
    Ok(())
}

/// A person the server refused to take (a second "first owner" from a till
/// set up on its own): never one of the shop's people, so not kept here.
pub(super) fn forget_refused_person(tx: &Transaction<'_>, id: Uuid) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM people WHERE id = ?1 AND server_version = 0")?.execute([id.to_string()])?;
    Ok(())
}

impl Store {
    /// Everyone on record, active first.
    pub fn people(&self) -> Result<Vec<Person>, StoreError> {
        people(&self.conn)
    }

    /// Whether actions at this till need someone signed in.
    pub fn sign_in_required(&self) -> Result<bool, StoreError> {
        sign_in_required(&self.conn)
    }

    pub fn signed_in(&self) -> Option<&Person> {
        self.session.person.as_ref()
    }

    /// The person to record on an op: whoever is signed in.
    pub(super) fn acting(&self) -> Option<PersonRef> {
        self.session.person.as_ref().map(Person::as_ref)
    }

    /// Signs `name` in with their PIN. Wrong PINs slow the next tries down,
    /// as for the owner's PIN.
    pub fn sign_in(&mut self, name: &str, pin: &str, now: DateTime<Utc>) -> Result<Person, StoreError> {
        let name = name.trim();
        let matches: Vec<Person> = self.people()?.into_iter().filter(|p| p.active && p.name.trim() == name).collect();
        let person = match matches.as_slice() {
            [one] => one.clone(),
            [] => return Err(StoreError::PersonUnknown(name.to_owned())),
            _ => return Err(StoreError::PersonAmbiguous(name.to_owned())),
        };
        self.session.gate.ready(now).map_err(as_sign_in)?;
        let right = match pin_hash(&self.conn, person.id)? {
            Some(stored) => pin_matches(&stored, pin)?,
            None => false,
        };
        self.session.gate.settle_attempt(now, right).map_err(as_sign_in)?;
        self.session.person = Some(person.clone());
        Ok(person)
    }

    pub fn sign_out(&mut self) {
        self.session.person = None;
    }

    /// Refuses `act` unless the person signed in may do it. A shop whose
    /// owner works alone needs no one signed in.
    pub fn require(&self, act: Act) -> Result<(), StoreError> {
        match &self.session.person {
            Some(p) if may(p.role, act) => Ok(()),
            Some(p) => Err(StoreError::NotPermitted { act, role: p.role }),
            None if self.sign_in_required()? => Err(StoreError::SignInNeeded),
            None => Ok(()),
        }
    }

    /// Adds a person or changes one, and sends it to the server. The first
    /// person of a shop is its owner; after that only a signed-in owner
    /// changes people, and the last active owner stays one.
    pub fn save_person(&mut self, edit: &PersonEdit, now: DateTime<Utc>) -> Result<Person, StoreError> {
        let actor = self.session.person.clone();
        self.save_person_as(edit, actor.as_ref(), now)
    }

    /// `save_person` by the owner whose PIN this is, typed with the change
    /// (the app's people screen: whoever is signed in at the counter
    /// stays). Wrong PINs slow the next tries, as signing in does.
    pub fn save_person_with_owner_pin(
        &mut self,
        edit: &PersonEdit,
        owner_pin: &str,
        now: DateTime<Utc>,
    ) -> Result<Person, StoreError> {
        self.session.gate.ready(now)?;
        let owner = self.is_owner_pin(owner_pin)?;
        self.session.gate.settle_attempt(now, owner.is_some())?;
        let owner = owner.ok_or(StoreError::OwnerPinWrong)?;
        self.save_person_as(edit, Some(&owner), now)
    }

    /// `save_person` by `actor`, who has proved who they are (signed in,
    /// or the owner's current PIN typed again).
    pub(super) fn save_person_as(
        &mut self,
        edit: &PersonEdit,
        actor: Option<&Person>,
        now: DateTime<Utc>,
    ) -> Result<Person, StoreError> {
        let everyone = self.people()?;
        let current = match edit.id {
            Some(id) => Some(
                everyone
                    .iter()
                    .find(|p| p.id == id)
                    .cloned()
                    .ok_or_else(|| StoreError::PersonUnknown(id.to_string()))?,
            ),
            None => None,
        };
        let first = everyone.is_empty();
        if !first {
            match actor {
                Some(p) if may(p.role, Act::People) => {}
                Some(p) => return Err(StoreError::NotPermitted { act: Act::People, role: p.role }),
                None => return Err(StoreError::SignInNeeded),
            }
        }
        let name = edit.name.as_deref().map(str::trim).or(current.as_ref().map(|c| c.name.as_str())).unwrap_or("");
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::PersonNameRequired);
        }
        let role = edit.role.or(current.as_ref().map(|c| c.role)).unwrap_or(Role::Cashier);
        let active = edit.active.or(current.as_ref().map(|c| c.active)).unwrap_or(true);
        if first && (role != Role::Owner || !active) {
            return Err(StoreError::FirstPersonIsOwner);
        }
        let id = current.as_ref().map_or_else(Uuid::now_v7, |c| c.id);
        if everyone.iter().any(|p| p.active && p.id != id && p.name.trim() == name) && active {
            return Err(StoreError::PersonAmbiguous(name.to_owned()));
        }
        let was_owner = current.as_ref().is_some_and(|c| c.role == Role::Owner && c.active);
        let other_owners = everyone.iter().filter(|p| p.id != id && p.role == Role::Owner && p.active).count();
        if was_owner && (role != Role::Owner || !active) && other_owners == 0 {
            return Err(StoreError::LastOwner);
        }
        let limit =
            edit.discount_limit_percent.or(current.as_ref().map(|c| c.discount_limit_percent)).unwrap_or(Decimal::ZERO);
        Percent::new(limit).ok_or(StoreError::DiscountLimitOutOfRange)?;
        let pin_hash = match (&edit.pin, current.as_ref()) {
            (Some(pin), _) => hash_pin(pin)?,
            (None, Some(c)) => pin_hash(&self.conn, c.id)?.ok_or_else(|| StoreError::PersonUnknown(c.name.clone()))?,
            (None, None) => return Err(StoreError::PinWeak),
        };
        let payload = PersonPayload {
            person_id: id,
            name: name.to_owned(),
            role,
            pin_hash,
            active,
            discount_limit_percent: limit,
        };
        let by = actor.map(Person::as_ref);
        self.write_person(&payload, by.as_ref(), now)?;
        let saved = Person { id, name: name.to_owned(), role, active, discount_limit_percent: limit };
        if self.session.person.as_ref().is_some_and(|p| p.id == id) {
            self.session.person = Some(saved.clone()).filter(|p| p.active);
        }
        Ok(saved)
    }

    /// The owner kept by a till from before people existed, with their PIN
    /// hash as it was: the shop's first person.
    pub(super) fn adopt_owner(&mut self, name: &str, pin_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let payload = PersonPayload {
            person_id: Uuid::now_v7(),
            name: name.trim().to_owned(),
            role: Role::Owner,
            pin_hash: pin_hash.to_owned(),
            active: true,
            discount_limit_percent: Decimal::ZERO,
        };
        self.write_person(&payload, None, now)
    }

    /// Writes a person here and queues them for the server, in one transaction.
    fn write_person(
        &mut self,
        p: &PersonPayload,
        by: Option<&PersonRef>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let tx = self.write_tx()?;
        write_person_row(&tx, p, None, now)?;
        let body = OpBody::PersonUpsert(p.clone());
        outbox::enqueue(&tx, Uuid::now_v7(), now, p.person_id, &Base::default(), by, &body)?;
        tx.commit()?;
        Ok(())
    }

    /// The active owners' PINs, checked in turn: true when `pin` is one.
    pub(super) fn is_owner_pin(&self, pin: &str) -> Result<Option<Person>, StoreError> {
        for p in self.people()?.into_iter().filter(|p| p.active && p.role == Role::Owner) {
            if let Some(stored) = pin_hash(&self.conn, p.id)?
                && pin_matches(&stored, pin)?
            {
                return Ok(Some(p));
            }
        }
        Ok(None)
    }
}

/// A manager's or the owner's yes, given with their PIN: to a discount past
/// a cashier's limit, or to a conversion of a customer's gold. Only
/// `Store::manager_approval` makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerApproval {
    by: PersonRef,
}

impl ManagerApproval {
    pub fn by(&self) -> &PersonRef {
        &self.by
    }
}

impl Store {
    /// The approval of whoever among the active people who may do `act`
    /// has this PIN; throttled as signing in is.
    pub fn manager_approval(&mut self, pin: &str, act: Act, now: DateTime<Utc>) -> Result<ManagerApproval, StoreError> {
        self.session.gate.ready(now).map_err(as_sign_in)?;
        let mut found = None;
        for p in self.people()?.into_iter().filter(|p| p.active && may(p.role, act)) {
            if let Some(stored) = pin_hash(&self.conn, p.id)?
                && pin_matches(&stored, pin)?
            {
                found = Some(p);
                break;
            }
        }
        self.session.gate.settle_attempt(now, found.is_some()).map_err(as_sign_in)?;
        let by = found.ok_or(StoreError::PinWrong)?;
        Ok(ManagerApproval { by: by.as_ref() })
    }
}

/// Sign-in speaks of a PIN, not of the owner's.
fn as_sign_in(e: StoreError) -> StoreError {
    match e {
        StoreError::OwnerPinWrong => StoreError::PinWrong,
        StoreError::OwnerPinThrottled { seconds } => StoreError::PinThrottled { seconds },
        e => e,
    }
}
