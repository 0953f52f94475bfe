//! The sale screen and its invoice: a draft, its quote, a recorded sale,
//! a return and the customer it is for.

use super::*;

/// amount as typed, in the till's display unit (Rial or Toman), Persian or ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct PaymentDraft {
    pub method: PaymentMethod,
    pub amount: String,
}

/// weight in grams, purity in thousandths (750), deduction percent or null for the shop's default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct TradeInDraft {
    pub weight: String,
    pub purity: String,
    pub deduction: Option<String>,
}

/// items: tags or barcodes as scanned; customer: id, mobile or national id, null for walk-in.
/// exchange: pieces of an earlier invoice coming back in this sale.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct SaleDraft {
    pub items: Vec<String>,
    pub customer: Option<String>,
    pub payments: Vec<PaymentDraft>,
    pub trade_ins: Vec<TradeInDraft>,
    #[serde(default)]
    pub exchange: Option<ExchangeDraft>,
    /// Off the whole sale's making charge and profit: a percent with `%`,
    /// else an amount in the display unit; empty or null for none.
    #[serde(default)]
    pub wage_discount: Option<String>,
    #[serde(default)]
    pub profit_discount: Option<String>,
}

/// tags: of the invoice, all its pieces not yet returned when empty.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ExchangeDraft {
    #[ts(type = "number")]
    pub invoice_no: u64,
    pub tags: Vec<String>,
}

/// refunds: amounts in the display unit by method; the default split (cash
/// first, never more by a method than was paid by it) when empty.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ReturnInput {
    #[ts(type = "number")]
    pub invoice_no: u64,
    pub tags: Vec<String>,
    pub refunds: Vec<PaymentDraft>,
    pub reason: Option<String>,
}

/// What a return would give back: room = what each method still holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReturnQuoteView {
    pub sale: SaleView,
    pub lines: Vec<LineView>,
    pub refund: String,
    pub room: Vec<PaymentInput>,
    pub suggested: Vec<PaymentInput>,
}

/// A line of a sale: the core's `SaleLine` as it is, with its karat name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LineView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub line: SaleLine,
    /// As `ItemView.karat`.
    pub karat: Option<String>,
}

/// Old gold taken in: the core's `TradeInLine` as it is, with its karat name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TradeInView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub trade_in: TradeInLine,
    /// As `ItemView.karat`.
    pub karat: Option<String>,
}

/// A sale priced as it stands, not saved. remaining = what the payments
/// still lack (0 when covered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Quote {
    /// In an exchange: the value of the pieces coming back, and the part of
    /// it that pays this sale (it is not among `payments`, which are the
    /// cashier's own); the rest goes back to the customer.
    pub exchange_refund: Option<String>,
    pub exchange_credit: Option<String>,
    pub lines: Vec<LineView>,
    pub trade_ins: Vec<TradeInView>,
    pub payments: Vec<PaymentInput>,
    pub totals: Totals,
    pub remaining: String,
    pub per_gram_18k: String,
    pub vat_percent: String,
    pub alerts: Vec<Localized>,
    /// All the discounts, their share of the making charge and profit
    /// (percent), and whether that is past the seller's limit.
    pub discount: Discounted,
    pub discount_percent: String,
    pub discount_needs_approval: bool,
}

impl From<DraftSale> for Quote {
    fn from(d: DraftSale) -> Quote {
        let t = d.priced.totals;
        let remaining = if t.change.is_negative() { -t.change.decimal() } else { rust_decimal::Decimal::ZERO };
        Quote {
            exchange_refund: d.exchange_refund.map(|r| r.decimal().to_string()),
            exchange_credit: d
                .priced
                .payments
                .iter()
                .find(|p| p.method == PaymentMethod::ExchangeCredit)
                .map(|p| p.amount.decimal().to_string()),
            lines: d.priced.lines.iter().map(LineView::from).collect(),
            trade_ins: d.priced.trade_ins.iter().map(TradeInView::from).collect(),
            payments: d.priced.payments.iter().filter(|p| p.method != PaymentMethod::ExchangeCredit).copied().collect(),
            totals: t,
            remaining: remaining.to_string(),
            per_gram_18k: d.per_gram_18k.decimal().to_string(),
            vat_percent: d.vat_percent.decimal().normalize().to_string(),
            discount: d.discount,
            discount_percent: d.discount_percent.normalize().to_string(),
            discount_needs_approval: d.discount_needs_approval,
            alerts: d
                .warnings
                .iter()
                .map(|w| match w {
                    zargar_core::store::Warning::StalePrice { age_hours, limit_hours } => {
                        Localized::from(&TillAlert::StalePrice { age_hours: *age_hours, limit_hours: *limit_hours })
                    }
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SaleView {
    pub id: String,
    #[ts(type = "number")]
    pub invoice_no: u64,
    pub sold_at: String,
    pub till: String,
    pub shop: Option<String>,
    pub customer: Option<String>,
    pub per_gram_18k: String,
    pub vat_percent: String,
    pub lines: Vec<LineView>,
    pub trade_ins: Vec<TradeInView>,
    pub payments: Vec<PaymentInput>,
    pub totals: Totals,
    pub sync: SyncState,
    /// Its credit notes, oldest first: what came back and how it was paid back.
    pub returns: Vec<CreditNoteView>,
    /// Who sold it, when the shop has people.
    pub seller: Option<String>,
    /// All its discounts, and the manager who let them past the seller's limit.
    pub discount: Discounted,
    pub discount_approved_by: Option<String>,
    /// The seller's and buyer's legal blocks, and the tax id once accepted.
    pub legal: zargar_core::invoice::LegalBlocks,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CreditNoteView {
    #[ts(type = "number")]
    pub return_no: u64,
    pub returned_at: String,
    pub lines: Vec<LineView>,
    pub refund: String,
    pub refunds: Vec<PaymentInput>,
    #[ts(type = "number | null")]
    pub exchange_invoice_no: Option<u64>,
}

impl From<&RecordedReturn> for CreditNoteView {
    fn from(r: &RecordedReturn) -> CreditNoteView {
        CreditNoteView {
            return_no: r.return_no,
            returned_at: at(r.returned_at),
            lines: r.lines.iter().map(LineView::from).collect(),
            refund: r.refund.decimal().to_string(),
            refunds: r.refunds.to_vec(),
            exchange_invoice_no: r.exchange_invoice_no,
        }
    }
}

impl SaleView {
    pub fn with_returns(mut self, returns: &[RecordedReturn]) -> SaleView {
        self.returns = returns.iter().map(CreditNoteView::from).collect();
        self
    }

    pub fn new(s: &Sale, till: &str, shop: Option<String>) -> SaleView {
        SaleView {
            id: s.id.to_string(),
            invoice_no: s.invoice_no,
            sold_at: at(s.sold_at),
            till: till.to_owned(),
            shop,
            customer: s.customer.as_ref().map(|c| c.name.clone()),
            per_gram_18k: s.gold_price.per_gram_18k.decimal().to_string(),
            vat_percent: s.vat_percent.decimal().normalize().to_string(),
            lines: s.lines.iter().map(LineView::from).collect(),
            trade_ins: s.trade_ins.iter().map(TradeInView::from).collect(),
            payments: s.payments.to_vec(),
            totals: s.totals,
            sync: s.sync,
            returns: Vec::new(),
            seller: s.seller.as_ref().map(|p| p.name.clone()),
            discount: s.discount().unwrap_or_default(),
            discount_approved_by: s.discount_approved_by.as_ref().map(|p| p.name.clone()),
            legal: Default::default(),
        }
    }

    pub fn with_legal(mut self, legal: zargar_core::invoice::LegalBlocks) -> SaleView {
        self.legal = legal;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct NewCustomerInput {
    pub name: String,
    pub mobile: Option<String>,
    pub national_id: Option<String>,
}

impl From<&SaleLine> for LineView {
    fn from(l: &SaleLine) -> LineView {
        LineView { line: l.clone(), karat: karat_of(l.purity) }
    }
}

impl From<&TradeInLine> for TradeInView {
    fn from(t: &TradeInLine) -> TradeInView {
        TradeInView { trade_in: *t, karat: karat_of(t.purity) }
    }
}
