//! Conflicts in Settings: what the server disagreed with, and the owner's decision.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ResolutionView {
    pub resolution: Resolution,
    pub resolved_by: String,
    pub reason: Option<String>,
    pub at: String,
}

/// The server's side: what it holds that disagrees with the till.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ServerSide {
    pub tag: Option<String>,
    pub item_status: Option<ItemStatus>,
    pub sold_by_till: Option<String>,
    pub per_gram_18k: Option<String>,
    pub tolerance_percent: Option<String>,
    /// For a discount past a limit: its share of the making charge and
    /// profit, and the seller's limit (percent).
    pub discount_percent: Option<String>,
    pub discount_limit_percent: Option<String>,
    /// For an account spent past its limit: where it stood on the server.
    pub account: Option<AccountSide>,
}

/// The customer's account as the server had it when a movement went past
/// its limit: balances, the limit, the movement, and what other tills spent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AccountSide {
    pub rial: String,
    pub gold: String,
    pub credit_limit: String,
    pub move_rial: String,
    pub move_gold: String,
    pub spent_elsewhere: Vec<SpentView>,
}

/// Another till's spending from the same account: Rials and grams, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SpentView {
    pub till: String,
    pub kind: AccountMoveKind,
    pub rial: String,
    pub gold: String,
    pub at: String,
}

/// A price conflict in money: the till's price and the shop's per gram of
/// 18k, what the sale came to and what it comes to at the shop's price, and
/// the shortfall (positive: the sale was priced that much too low).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PriceGap {
    pub till_per_gram_18k: String,
    pub shop_per_gram_18k: String,
    pub sale_due: String,
    pub due_at_shop_price: String,
    pub shortfall: String,
}

/// A resolution this till cannot make, and the message id that says why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DisabledOption {
    pub resolution: Resolution,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConflictView {
    pub op_id: String,
    pub kind: ConflictKind,
    pub message_key: String,
    pub till: Option<String>,
    pub mine: bool,
    pub open: bool,
    pub pending: bool,
    pub created_at: String,
    /// What can be settled from this till.
    pub options: Vec<Resolution>,
    /// What the server offers but this till cannot do, with why.
    pub disabled: Vec<DisabledOption>,
    pub server: ServerSide,
    pub price_gap: Option<PriceGap>,
    pub sale: Option<SaleView>,
    pub resolution: Option<ResolutionView>,
    pub last_refusal: Option<String>,
}

impl ConflictView {
    /// `till_names` names the shop's tills by device id, for "sold by".
    pub fn new(
        c: &TillConflict,
        this_till: &str,
        shop: Option<String>,
        till_name: impl Fn(uuid::Uuid) -> Option<String>,
    ) -> ConflictView {
        let s = &c.conflict.server_state;
        let all: Vec<Resolution> = c.conflict.options.clone();
        // Only the till that made a sale holds it whole: edits happen there.
        let here = |r: &Resolution| c.mine || *r != Resolution::Resubmit;
        let price_gap = match (&c.local_sale, s.per_gram_18k.and_then(zargar_core::rules::money::Rial::whole)) {
            (Some(sale), Some(shop)) if c.conflict.kind == ConflictKind::PriceOutOfTolerance => {
                sale.due_at(shop).ok().map(|at_shop| PriceGap {
                    till_per_gram_18k: sale.gold_price.per_gram_18k.decimal().to_string(),
                    shop_per_gram_18k: shop.decimal().to_string(),
                    sale_due: sale.totals.due.decimal().to_string(),
                    due_at_shop_price: at_shop.decimal().to_string(),
                    shortfall: (at_shop.decimal() - sale.totals.due.decimal()).to_string(),
                })
            }
            _ => None,
        };
        ConflictView {
            op_id: c.op_id.to_string(),
            kind: c.conflict.kind,
            message_key: c.conflict.message_key.clone(),
            till: c.device_name.clone(),
            mine: c.mine,
            open: c.open,
            pending: c.pending_resolution.is_some(),
            created_at: at(c.created_at),
            options: all.iter().copied().filter(here).collect(),
            disabled: all
                .iter()
                .filter(|r| !here(r))
                .map(|r| DisabledOption { resolution: *r, why: "conflicts-why-resubmit-elsewhere".into() })
                .collect(),
            price_gap,
            server: ServerSide {
                tag: s.tag.clone(),
                item_status: s.item_status,
                sold_by_till: s.sold_by_device_name.clone().or_else(|| s.sold_by_device.and_then(&till_name)),
                per_gram_18k: s.per_gram_18k.map(|p| p.to_string()),
                tolerance_percent: s.tolerance_percent.map(|p| p.normalize().to_string()),
                discount_percent: s.discount_percent.map(|p| p.normalize().to_string()),
                discount_limit_percent: s.discount_limit_percent.map(|p| p.normalize().to_string()),
                account: s.account.as_ref().map(|a| {
                    let grams = |mg: i64| GoldMg::from_mg(mg).grams().to_string();
                    AccountSide {
                        rial: a.rial.to_string(),
                        gold: grams(a.gold_mg),
                        credit_limit: a.credit_limit.to_string(),
                        move_rial: a.move_rial.to_string(),
                        move_gold: grams(a.move_gold_mg),
                        spent_elsewhere: a
                            .spent_elsewhere
                            .iter()
                            .map(|x| SpentView {
                                till: x.device_name.clone(),
                                kind: x.kind,
                                rial: x.rial.to_string(),
                                gold: grams(x.gold_mg),
                                at: at(x.moved_at),
                            })
                            .collect(),
                    }
                }),
            },
            sale: c.local_sale.as_ref().map(|sale| SaleView::new(sale, this_till, shop)),
            resolution: c.resolution.as_ref().map(|r| ResolutionView {
                resolution: r.resolution,
                resolved_by: r.resolved_by.clone(),
                reason: r.reason.clone(),
                at: at(r.resolved_at),
            }),
            last_refusal: c.last_refusal.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ReplacePiece {
    pub old: String,
    pub new: String,
}

/// How a change in what is due was settled: amount in Rials, the new due
/// less the old (positive: collected; negative: paid back).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct DueChangeInput {
    pub amount: String,
    pub method: PaymentMethod,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ResolveInput {
    pub op_id: String,
    pub resolution: Resolution,
    pub reason: Option<String>,
    pub replace: Vec<ReplacePiece>,
    pub payments: Option<Vec<PaymentDraft>>,
    pub due_change: Option<DueChangeInput>,
}

/// A resubmit's effect on what is due, in Rials (difference = new − old).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ResubmitPreviewView {
    pub old_due: String,
    pub new_due: String,
    pub difference: String,
}
