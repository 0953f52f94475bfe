//! The gold price: see it, preview a change, set it (the owner's PIN for the shop's).

use chrono::Utc;
use tauri::State;
use zargar_core::error::Field;
use zargar_core::gold_price::{NewPrice, PriceEntry};
use zargar_core::{Store, StoreError};

use crate::error::AppResult;
use crate::ipc::*;
use crate::till::Till;

pub(super) fn gold_prices_of(s: &Store) -> AppResult<GoldPrices> {
    let status = s.status(Utc::now())?;
    let shop = s.settings()?;
    let current = s.current_gold_price()?;
    let rial = |r: zargar_core::rules::money::Rial| r.decimal().to_string();
    Ok(GoldPrices {
        old_gold_per_gram_18k: current.as_ref().map(|p| rial(shop.old_gold_price(p.per_gram_18k))),
        current,
        stale: status.gold_price_stale,
        max_age_hours: shop.price_max_age_hours,
        history: s.gold_price_history(100)?,
        old_gold_spread_percent: shop.old_gold_spread.decimal().normalize().to_string(),
        step_percent: shop.price_step.decimal().normalize().to_string(),
        floor: shop.price_floor.map(rial),
        ceiling: shop.price_ceiling.map(rial),
    })
}

pub(super) fn price_entry(s: &Store, input: &GoldPriceInput) -> AppResult<PriceEntry> {
    let unit = s.settings()?.display_unit;
    let amount = unit.parse_amount(Field::GoldPrice, &input.amount)?;
    Ok(match input.by {
        QuoteBasis::Gram => PriceEntry::PerGram18k(amount),
        QuoteBasis::Mesghal => PriceEntry::Mazaneh(amount),
    })
}

/// The price as it would be set: refused outside the shop's bounds, and
/// with what the owner must confirm (old and new, per gram and per mesghal).
#[tauri::command]
pub async fn preview_gold_price(till: State<'_, Till>, input: GoldPriceInput) -> AppResult<PriceChangeView> {
    till.store(move |s| {
        let change = s.preview_gold_price(price_entry(s, &input)?)?;
        Ok(PriceChangeView { change, step_percent: s.settings()?.price_step })
    })
    .await
}

#[tauri::command]
pub async fn gold_prices(till: State<'_, Till>) -> AppResult<GoldPrices> {
    till.store(|s| gold_prices_of(s)).await
}

/// The shop's price, set by the owner: the owner's PIN with every price
/// (checked and throttled like the unlock), and `confirmed` for a step past
/// the shop's setting. It goes to the server as the shop's price.
#[tauri::command]
pub async fn set_gold_price(
    till: State<'_, Till>,
    input: GoldPriceInput,
    pin: String,
    confirmed: bool,
) -> AppResult<GoldPrices> {
    till.owner_once(pin).await?;
    let prices = till
        .store(move |s| {
            let owner = s.owner()?.ok_or(StoreError::OwnerPinMissing)?;
            s.set_price(&NewPrice::shop(price_entry(s, &input)?, &owner.name, confirmed), Utc::now())?;
            gold_prices_of(s)
        })
        .await?;
    till.recorded().await;
    Ok(prices)
}
