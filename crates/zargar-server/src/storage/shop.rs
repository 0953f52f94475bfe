//! The owner's writes to a shop, the same on every backend: written once
//! against `TenantTx`, each with its change for pull and its audit entry.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zargar_wire::{Change, ChangeData, ChangeOp, GoldPricePayload, ItemPayload, PriceScope, TenantRef, TenantSettings};

use super::tx::{AuditRecord, PriceOrigin, TenantTx, TxResult};
use super::{DeviceAuth, SettingsChange};

/// Gives a new shop its first settings (the rules' default policy), tells
/// its future tills, and records who made it. The backend has stored the
/// shop's own row first.
pub async fn open_shop<T: TenantTx>(tx: &mut T, shop: &TenantRef, now: DateTime<Utc>) -> TxResult<()> {
    let settings = zargar_rules::policy::default_shop_policy();
    tx.save_settings(&settings, 1).await?;
    tx.log_change(&Change { id: shop.id, version: 1, op: ChangeOp::Upsert, data: ChangeData::Settings(settings) })
        .await?;
    let subject = shop.id.to_string();
    let detail = serde_json::json!({ "name": shop.name });
    tx.audit(&AuditRecord { at: now, actor: "admin", action: "tenant.create", subject: &subject, detail }).await
}

/// Adds or replaces a piece and tells every till; gives its new version.
pub async fn write_item<T: TenantTx>(tx: &mut T, item: &ItemPayload, now: DateTime<Utc>) -> TxResult<u64> {
    let version = tx.write_item(item, now).await?;
    tx.log_change(&Change { id: item.item_id, version, op: ChangeOp::Upsert, data: ChangeData::Item(item.clone()) })
        .await?;
    Ok(version)
}

/// Imports pieces; a piece whose tag the server knows is updated in place
/// (its id and status kept).
pub async fn import_items<T: TenantTx>(tx: &mut T, items: Vec<ItemPayload>, now: DateTime<Utc>) -> TxResult<usize> {
    let n = items.len();
    for mut item in items {
        if let Some(known) = tx.item_by_tag(&item.tag).await? {
            item.item_id = known.payload.item_id;
            item.status = known.payload.status;
        }
        write_item(tx, &item, now).await?;
    }
    let subject = format!("{n} items");
    let detail = serde_json::json!({ "count": n });
    tx.audit(&AuditRecord { at: now, actor: "admin", action: "item.import", subject: &subject, detail }).await?;
    Ok(n)
}

/// Stores a price once; the shop's goes into the change log for every
/// till, a till's own stays with that till. False when it was there already.
async fn add_price<T: TenantTx>(
    tx: &mut T,
    price: &GoldPricePayload,
    origin: PriceOrigin,
    device: Option<Uuid>,
) -> TxResult<bool> {
    let new = tx.insert_price(price, origin, device).await?;
    if new && origin == PriceOrigin::Server {
        tx.log_change(&Change {
            id: price.price_id,
            version: 1,
            op: ChangeOp::Upsert,
            data: ChangeData::GoldPrice(price.clone()),
        })
        .await?;
    }
    Ok(new)
}

/// The shop's price, set on the server: by the owner's administrator, or
/// by the shop's price feed (`set_by` "feed", audited with origin `feed`).
pub async fn set_shop_price<T: TenantTx>(tx: &mut T, price: &GoldPricePayload) -> TxResult<()> {
    add_price(tx, price, PriceOrigin::Server, None).await?;
    let subject = price.price_id.to_string();
    let from_feed = price.set_by.as_deref() == Some(crate::feed::FEED);
    let detail = serde_json::json!({
        "per_gram_18k": price.per_gram_18k.to_string(),
        "mazaneh": price.mazaneh.map(|m| m.to_string()),
        "origin": if from_feed { "feed" } else { "server" },
    });
    let actor = if from_feed { crate::feed::FEED } else { "admin" };
    tx.audit(&AuditRecord { at: price.set_at, actor, action: "gold_price.set", subject: &subject, detail }).await
}

/// A price a till pushed: the shop's when the owner set it there (recorded
/// with who and at which till), else that till's own.
pub async fn add_pushed_price<T: TenantTx>(
    tx: &mut T,
    price: &GoldPricePayload,
    device: &DeviceAuth,
    now: DateTime<Utc>,
) -> TxResult<()> {
    match price.scope {
        PriceScope::Till => {
            add_price(tx, price, PriceOrigin::Till, Some(device.device_id)).await?;
        }
        PriceScope::Shop => {
            let shop = GoldPricePayload { set_at_till: Some(device.device_name.clone()), ..price.clone() };
            if add_price(tx, &shop, PriceOrigin::Server, Some(device.device_id)).await? {
                let actor = format!("device:{}", device.device_id);
                let subject = price.price_id.to_string();
                let detail = serde_json::json!({
                    "per_gram_18k": price.per_gram_18k.to_string(),
                    "set_by": price.set_by,
                    "till": device.device_name,
                });
                let entry = AuditRecord { at: now, actor: &actor, action: "gold_price.set", subject: &subject, detail };
                tx.audit(&entry).await?;
            }
        }
    }
    Ok(())
}

/// Applies the owner's change to the settings; the new settings go to every till.
pub async fn update_settings<T: TenantTx>(
    tx: &mut T,
    change: SettingsChange,
    now: DateTime<Utc>,
) -> TxResult<TenantSettings> {
    let (mut s, version) = tx.settings().await?;
    if let Some(v) = change.vat {
        s.vat.retain(|r| r.from != v.from);
        s.vat.push(v);
        s.vat.sort_by_key(|r| r.from);
    }
    if let Some(v) = change.profit_percent {
        s.profit_percent = v;
    }
    if let Some(v) = change.price_tolerance_percent {
        s.price_tolerance_percent = v;
    }
    if let Some(v) = change.trade_in_deduction_percent {
        s.trade_in_deduction_percent = v;
    }
    if let Some(v) = change.max_offline_hours {
        s.max_offline_hours = v;
    }
    if let Some(v) = change.max_offline_sale {
        s.max_offline_sale = v;
    }
    if let Some(v) = change.max_unsynced_total {
        s.max_unsynced_total = v;
    }
    if let Some(v) = change.retention_days {
        s.retention_days = v;
    }
    let version = version + 1;
    tx.save_settings(&s, version).await?;
    let id = tx.tenant();
    tx.log_change(&Change { id, version, op: ChangeOp::Upsert, data: ChangeData::Settings(s.clone()) }).await?;
    let subject = id.to_string();
    let detail = serde_json::to_value(&s)?;
    tx.audit(&AuditRecord { at: now, actor: "admin", action: "settings.update", subject: &subject, detail }).await?;
    Ok(s)
}
