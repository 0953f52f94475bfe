//! The shop's people in Settings (the owner's): everyone on record, and
//! adding or changing someone with the owner's PIN typed with the change.

use chrono::Utc;
use tauri::State;
use uuid::Uuid;
use zargar_core::StoreError;
use zargar_core::store::{Person, PersonEdit, parse_discount_limit};

use crate::error::AppResult;
use crate::ipc::*;
use crate::till::Till;

/// Everyone on record, active first: who left stays, named on their sales.
#[tauri::command]
pub async fn people(till: State<'_, Till>) -> AppResult<Vec<Person>> {
    till.require_owner()?;
    till.store(|s| Ok(s.people()?)).await
}

/// Adds a person (no `id`) or changes one, and sends it to every till.
/// `owner_pin`: the owner's, throttled as signing in is (a wrong one does
/// not close the owner's screens).
#[tauri::command]
pub async fn save_person(till: State<'_, Till>, person: PersonInput, owner_pin: String) -> AppResult<Vec<Person>> {
    till.require_owner()?;
    let id = person.id.as_deref().map(|id| Uuid::parse_str(id).map_err(|_| StoreError::PersonUnknown(id.to_owned())));
    let limit =
        person.discount_limit.as_deref().filter(|l| !l.trim().is_empty()).map(parse_discount_limit).transpose()?;
    let edit = PersonEdit {
        id: id.transpose()?,
        name: person.name.filter(|n| !n.trim().is_empty()),
        role: person.role,
        pin: person.pin.filter(|p| !p.trim().is_empty()),
        active: person.active,
        discount_limit_percent: limit,
    };
    till.store(move |s| Ok(s.save_person_with_owner_pin(&edit, &owner_pin, Utc::now())?)).await?;
    till.recorded().await;
    till.store(|s| Ok(s.people()?)).await
}
