//! Conflicts in Settings: list them, preview a resubmit, queue a resolution.

use chrono::Utc;
use tauri::State;
use zargar_core::error::Field;
use zargar_core::persian;
use zargar_core::store::{DueChange, ResolveRequest, SaleEdit};
use zargar_core::{Store, StoreError};

use super::sale::payments;
use super::shop_name;
use crate::error::AppResult;
use crate::ipc::*;
use crate::till::Till;

#[tauri::command]
pub async fn conflicts(till: State<'_, Till>, all: bool) -> AppResult<Vec<ConflictView>> {
    till.require_owner()?;
    till.store(move |s| conflicts_of(s, all)).await
}

pub(super) fn conflicts_of(s: &Store, all: bool) -> AppResult<Vec<ConflictView>> {
    let me = s.device()?.clone();
    let shop = shop_name(s)?;
    let list = s.conflicts(all)?;
    Ok(list
        .iter()
        .map(|c| {
            let names = |id: uuid::Uuid| {
                if id == me.device_id {
                    return Some(me.name.clone());
                }
                list.iter().find(|o| o.device_id == id).and_then(|o| o.device_name.clone())
            };
            ConflictView::new(c, &me.name, shop.clone(), names)
        })
        .collect())
}

#[tauri::command]
pub async fn resolve_conflict(till: State<'_, Till>, input: ResolveInput) -> AppResult<Vec<ConflictView>> {
    till.require_owner()?;
    let list = till
        .store(move |s| {
            let owner = s.owner()?.ok_or(StoreError::OwnerPinMissing)?;
            let op_id = uuid::Uuid::parse_str(input.op_id.trim())
                .map_err(|_| StoreError::ConflictNotFound(input.op_id.clone()))?;
            let edit = match input.resolution {
                Resolution::Resubmit => Some(SaleEdit {
                    replace: swaps(&input.replace),
                    payments: input.payments.as_deref().map(|p| payments(s, p)).transpose()?,
                    due_change: input
                        .due_change
                        .as_ref()
                        .map(|d| -> AppResult<DueChange> {
                            let amount = persian::parse_decimal(&d.amount)
                                .ok_or_else(|| zargar_core::ValidationError::new(Field::Amount, &d.amount))?;
                            Ok(DueChange { amount, method: d.method })
                        })
                        .transpose()?,
                }),
                _ => None,
            };
            let req = ResolveRequest {
                op_id,
                resolution: input.resolution,
                resolved_by: owner.name,
                reason: input.reason.filter(|r| !r.trim().is_empty()),
                edit,
            };
            s.resolve_conflict(&req, Utc::now())?;
            conflicts_of(s, false)
        })
        .await?;
    till.recorded().await;
    Ok(list)
}

/// Pieces swapped in an edited sale, as typed: blank rows dropped, digits folded.
pub(super) fn swaps(replace: &[ReplacePiece]) -> Vec<(String, String)> {
    replace
        .iter()
        .filter(|r| !r.new.trim().is_empty())
        .map(|r| (r.old.clone(), persian::fold_digits(r.new.trim())))
        .collect()
}

/// What resubmitting a conflicted sale with pieces swapped does to what the
/// customer owes, before the owner decides.
#[tauri::command]
pub async fn preview_resubmit(
    till: State<'_, Till>,
    op_id: String,
    replace: Vec<ReplacePiece>,
) -> AppResult<ResubmitPreviewView> {
    till.require_owner()?;
    till.store(move |s| {
        let id = uuid::Uuid::parse_str(op_id.trim()).map_err(|_| StoreError::ConflictNotFound(op_id.clone()))?;
        let p = s.preview_resubmit(id, &swaps(&replace))?;
        let rial = |r: zargar_core::rules::money::Rial| r.decimal().to_string();
        Ok(ResubmitPreviewView { old_due: rial(p.old_due), new_due: rial(p.new_due), difference: rial(p.difference) })
    })
    .await
}
