//! Inventory: find, list, add and correct pieces, and put them on or off the shelf.

use chrono::Utc;
use tauri::State;
use zargar_core::error::Field;
use zargar_core::persian;
use zargar_core::store::ItemFilter;
use zargar_core::{Store, StoreError};

use crate::error::AppResult;
use crate::ipc::*;
use crate::till::Till;

#[tauri::command]
pub async fn find_item(till: State<'_, Till>, code: String) -> AppResult<ItemView> {
    till.store(move |s| {
        let code = persian::fold_digits(code.trim());
        let item = s.find_item(&code)?.ok_or(StoreError::ItemNotFound(code))?;
        Ok(item.into())
    })
    .await
}

#[tauri::command]
pub async fn list_items(till: State<'_, Till>, query: ItemQuery) -> AppResult<Vec<ItemView>> {
    till.store(move |s| {
        let filter = ItemFilter {
            search: query.search.filter(|q| !q.trim().is_empty()),
            status: query.status,
            limit: Some(query.limit.unwrap_or(200).min(1000)),
        };
        Ok(s.list_items(&filter)?.into_iter().map(ItemView::from).collect())
    })
    .await
}

/// The piece as typed, in the store's terms (amounts from the display unit).
pub(super) fn new_item(s: &Store, input: &ItemInput) -> AppResult<zargar_core::item::NewItem> {
    let unit = s.settings()?.display_unit;
    let rials = |field: Field, v: &str| -> AppResult<String> { Ok(unit.parse_amount(field, v)?.decimal().to_string()) };
    let (wage_percent, wage_per_gram) = match input.wage_kind {
        WageKind::Percent => (Some(input.wage_value.clone()), None),
        WageKind::PerGram => (None, Some(rials(Field::WagePerGram, &input.wage_value)?)),
    };
    let stones = input.stones.trim();
    let typed = zargar_core::item::NewItemInput {
        tag: input.tag.clone(),
        name: input.name.clone(),
        weight: input.weight.clone(),
        purity: input.purity.clone(),
        wage_percent,
        wage_per_gram,
        barcode: input.barcode.clone(),
        category: input.category.clone(),
        stones: if stones.is_empty() { None } else { Some(rials(Field::Stones, stones)?) },
    };
    Ok(typed.parse()?)
}

/// Adds a piece, or edits one on the shelf. Setting or changing what a
/// piece sells for (a new piece; its weight, purity, wage or stones) needs
/// the owner's PIN, checked and throttled like the unlock, for this save
/// only; a name, category or code change does not.
#[tauri::command]
pub async fn save_item(till: State<'_, Till>, input: ItemInput, pin: Option<String>) -> AppResult<ItemView> {
    let check = input.clone();
    let needs_owner = till
        .store(move |s| {
            let new = new_item(s, &check)?;
            match check.original.as_deref() {
                None => Ok(true),
                Some(code) => {
                    let old = s.find_item(code)?.ok_or_else(|| StoreError::ItemNotFound(code.to_owned()))?;
                    Ok(old.value_changes(&new))
                }
            }
        })
        .await?;
    if needs_owner {
        let pin = pin.filter(|p| !p.trim().is_empty()).ok_or(StoreError::OwnerPinNeeded)?;
        till.owner_once(pin).await?;
    }
    let view = till
        .store(move |s| {
            let new = new_item(s, &input)?;
            let item = match input.original.as_deref() {
                None => s.add_item(&new, Utc::now())?,
                Some(code) => s.edit_item(code, &new, Utc::now())?,
            };
            Ok(item.into())
        })
        .await?;
    till.recorded().await;
    Ok(view)
}

/// Puts a piece back on the shelf (returned, or back from repair), on hold
/// for a customer, or in repair. Its value does not change: no PIN.
#[tauri::command]
pub async fn set_item_status(till: State<'_, Till>, tag: String, status: ItemStatus) -> AppResult<ItemView> {
    let view = till.store(move |s| Ok(s.set_item_status(&tag, status, Utc::now())?.into())).await?;
    till.recorded().await;
    Ok(view)
}
