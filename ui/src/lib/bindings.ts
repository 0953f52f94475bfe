// Generated from src-tauri/src/ipc.rs by ts-rs; do not edit.
// Regenerate: ZARGAR_BLESS=1 cargo test -p zargar-pos bindings
// Money and quantities are decimal strings (Rials, grams, percents), never floats;
// instants are RFC 3339 strings (UTC).

export type Lang = "fa" | "en";

export type DisplayUnit = "rial" | "toman";

export type ArgKind = "text" | "money" | "number" | "message";

export type MessageArg = { name: string, kind: ArgKind, value: string, };

export type Localized = { code: string, message_key: string, args: Array<MessageArg>, };

export type Role = "owner" | "manager" | "cashier";

export type Person = { id: string, name: string, role: Role, active: boolean, 
/**
 * What a cashier may take off a sale's making charge and profit.
 */
discount_limit_percent: string, };

export type AppInfo = { version: string, lang: Lang, unit: DisplayUnit, till_name: string, shop: string | null, server_url: string | null, enrolled: boolean, owner_pin_set: boolean, owner_unlocked: boolean, owner_name: string | null, 
/**
 * The shop's server named by the fleet preset, for the enrolment form.
 */
suggested_server_url: string | null, 
/**
 * What IT should know at start: a malformed preset (with its line), an
 * enrolment from the preset that failed.
 */
notices: Array<Localized>, 
/**
 * The kinds of piece, by code (shown as `category-<code>`).
 */
categories: Array<string>, 
/**
 * Once the owner has added people: someone signs in before acting.
 */
sign_in_required: boolean, 
/**
 * Who is signed in at this till.
 */
signed_in: Person | null, 
/**
 * The shop's people who may sign in, to pick a name from.
 */
people: Array<Person>, };

export type UpdateState = "not_configured" | "not_packaged" | "checking" | "current" | "available" | "installing" | "installed" | "failed";

export type UpdateView = { state: UpdateState, current_version: string, 
/**
 * The version on offer (or just installed).
 */
version: string | null, notes: string | null, endpoint: string | null, checked_at: string | null, error: Localized | null, };

export type ItemStatus = "in_stock" | "sold_pending" | "sold" | "reserved" | "repair" | "returned";

export type WageKind = "percent" | "per_gram";

export type Rial = string;

export type Percent = string;

export type Weight = string;

export type Purity = string;

export type WageRate = { "kind": "percent", "value": Percent } | { "kind": "per_gram", "value": Rial };

export type ItemView = { 
/**
 * The Fluent id of the purity's karat name (`karat-18`), from the rules;
 * null where the market has none.
 */
karat: string | null, id: string, tag: string, barcode: string | null, name: string, category: string | null, weight: Weight, purity: Purity, wage: WageRate, stones: Rial, status: ItemStatus, 
/**
 * Sold at another till: its name ("sold at صندوق ۲").
 */
sold_by: string | null, 
/**
 * Bumped on every change, so the server can tell what the till saw.
 */
version: number, updated_at: string, };

export type ItemQuery = { search: string | null, status: ItemStatus | null, limit: number | null, };

export type ItemInput = { original: string | null, tag: string, barcode: string | null, name: string, category: string | null, weight: string, purity: string, wage_kind: WageKind, wage_value: string, stones: string, };

export type PrintersView = { receipt: string | null, receipt_kind: ReceiptKind | null, office: string | null, label: string | null, label_size: string, label_sizes: Array<string>, };

export type ReceiptKind = "network" | "usb" | "cups";

export type PrintersInput = { receipt: string, office: string, label: string, label_size: string, };

export type RasterInput = { width: number, height: number, bits: string, };

export type PrintedView = { paper_near_end: boolean, };

export type PagePrinter = "office" | "label";

export type LabelSheetView = { width_mm: number, height_mm: number, labels: Array<LabelView>, };

export type LabelView = { tag: string, svg: string, };

export type PaymentMethod = "cash" | "card" | "transfer" | "cheque" | "account" | "exchange_credit";

export type PaymentDraft = { method: PaymentMethod, amount: string, };

export type TradeInDraft = { weight: string, purity: string, deduction: string | null, };

export type SaleDraft = { items: Array<string>, customer: string | null, payments: Array<PaymentDraft>, trade_ins: Array<TradeInDraft>, exchange: ExchangeDraft | null, 
/**
 * Off the whole sale's making charge and profit: a percent with `%`,
 * else an amount in the display unit; empty or null for none.
 */
wage_discount: string | null, profit_discount: string | null, };

export type LinePrice = { gold: Rial, wage: Rial, profit: Rial, vat: Rial, stones: Rial, total: Rial, };

export type Discounted = { wage: Rial, profit: Rial, };

export type LineView = { 
/**
 * As `ItemView.karat`.
 */
karat: string | null, item_id: string, tag: string, name: string, weight: Weight, purity: Purity, wage_rate: WageRate, profit_percent: Percent, price: LinePrice, 
/**
 * What discounts took off the making charge and the profit; `price`
 * holds what is left.
 */
discount?: Discounted, returned: boolean, };

export type TradeInView = { 
/**
 * As `ItemView.karat`.
 */
karat: string | null, weight: Weight, purity: Purity, deduction: Percent, buy_price_18k: Rial, value: Rial, };

export type PaymentInput = { method: PaymentMethod, amount: Rial, };

export type Totals = { gold: Rial, wage: Rial, profit: Rial, vat: Rial, stones: Rial, total: Rial, trade_in: Rial, 
/**
 * total − trade_in; negative when the shop pays the customer.
 */
due: Rial, paid: Rial, 
/**
 * paid − due: handed back to the customer in cash.
 */
change: Rial, };

export type Quote = { 
/**
 * In an exchange: the value of the pieces coming back, and the part of
 * it that pays this sale (it is not among `payments`, which are the
 * cashier's own); the rest goes back to the customer.
 */
exchange_refund: string | null, exchange_credit: string | null, lines: Array<LineView>, trade_ins: Array<TradeInView>, payments: Array<PaymentInput>, totals: Totals, remaining: string, per_gram_18k: string, vat_percent: string, alerts: Array<Localized>, 
/**
 * All the discounts, their share of the making charge and profit
 * (percent), and whether that is past the seller's limit.
 */
discount: Discounted, discount_percent: string, discount_needs_approval: boolean, };

export type SyncState = "pending" | "acked" | "conflict" | "rejected" | "voided";

export type LegalIdentity = { 
/**
 * The registered name (نام فروشنده).
 */
name: string, 
/**
 * Economic code (کد اقتصادی), the seller's `tins` on a Moadian invoice.
 */
economic_code: string, 
/**
 * National id of the person, or of the company (شناسه ملی).
 */
national_id: string, postal_code: string, address: string, phone: string, };

export type TaxSubject = "sale" | "cancellation" | "return";

export type TaxStatus = "queued" | "sent" | "accepted" | "rejected";

export type TaxMessage = { code: string, message: string, };

export type TaxInvoiceState = { invoice_id: string, subject: TaxSubject, 
/**
 * The sale it is about (for a return too: the sale given back).
 */
sale_id: string, return_id: string | null, 
/**
 * The 22-character tax id (شماره منحصر به فرد مالیاتی).
 */
tax_id: string, 
/**
 * The serial under the shop's memory id (`inno`), gapless.
 */
serial: number, issued_at: string, status: TaxStatus, 
/**
 * The tax id of the invoice a cancellation or a return names.
 */
original_tax_id: string | null, 
/**
 * The service's reasons, for a rejection (and its warnings).
 */
messages: Array<TaxMessage>, 
/**
 * Times it was sent or asked after.
 */
attempts: number, updated_at: string, };

export type BuyerBlock = { name: string, national_id: string | null, economic_code: string | null, postal_code: string | null, };

export type LegalBlocks = { seller: LegalIdentity | null, buyer: BuyerBlock | null, tax_id: string | null, };

export type SaleView = { id: string, invoice_no: number, sold_at: string, till: string, shop: string | null, customer: string | null, per_gram_18k: string, vat_percent: string, lines: Array<LineView>, trade_ins: Array<TradeInView>, payments: Array<PaymentInput>, totals: Totals, sync: SyncState, 
/**
 * Its credit notes, oldest first: what came back and how it was paid back.
 */
returns: Array<CreditNoteView>, 
/**
 * Who sold it, when the shop has people.
 */
seller: string | null, 
/**
 * All its discounts, and the manager who let them past the seller's limit.
 */
discount: Discounted, discount_approved_by: string | null, 
/**
 * The seller's and buyer's legal blocks, and the tax id once accepted.
 */
legal: LegalBlocks, };

export type ExchangeDraft = { invoice_no: number, tags: Array<string>, };

export type ReturnInput = { invoice_no: number, tags: Array<string>, refunds: Array<PaymentDraft>, reason: string | null, };

export type ReturnQuoteView = { sale: SaleView, lines: Array<LineView>, refund: string, room: Array<PaymentInput>, suggested: Array<PaymentInput>, };

export type CreditNoteView = { return_no: number, returned_at: string, lines: Array<LineView>, refund: string, refunds: Array<PaymentInput>, exchange_invoice_no: number | null, };

export type EntryKind = "sale" | "return";

export type DayEntry = { kind: EntryKind, 
/**
 * The sale's or the credit note's id.
 */
id: string, 
/**
 * The invoice number, or the credit note's number.
 */
number: number, 
/**
 * The invoice a credit note gives back from; the sale's own otherwise.
 */
invoice_no: number, at: string, customer: string | null, items: number, weight: Weight, 
/**
 * A sale's total; minus a credit note's refund.
 */
total: Rial, 
/**
 * Of a sale: how many of its pieces have come back since.
 */
returned_items: number, sync: SyncState, };

export type MethodTotals = { method: PaymentMethod, 
/**
 * Taken in sales; for cash, less the change and old-gold payouts given.
 */
received: Rial, 
/**
 * Given back on returns.
 */
refunded: Rial, net: Rial, };

export type OldGold = { purity: Purity, grams: string, value: Rial, 
/**
 * The karat's message id, for every screen alike.
 */
karat: string | null, };

export type SalesReport = { sales: number, sales_total: Rial, returns: number, returns_total: Rial, 
/**
 * `sales_total − returns_total`: what the list's rows add up to.
 */
net_total: Rial, 
/**
 * Pieces sold less pieces returned, and their grams and price parts
 * (below zero on a day that took back more than it sold).
 */
lines: number, grams: string, gold: Rial, wage: Rial, profit: Rial, vat: Rial, stones: Rial, old_gold: Array<OldGold>, old_gold_total: Rial, 
/**
 * Cash first, then card, transfer, cheque, exchange credit; a method
 * with nothing in or out is left out.
 */
by_method: Array<MethodTotals>, 
/**
 * What the drawer should hold from the day's trade: cash in, less
 * change, old-gold payouts and cash refunds.
 */
cash_expected: Rial, };

export type SalesDay = { day: string, sales: Array<DayEntry>, totals: SalesReport, };

export type PersonRef = { id: string, name: string, };

export type Shift = { id: string, opened_at: string, opened_by: PersonRef | null, 
/**
 * The float counted at opening; `None` when a sale opened the shift.
 */
float: Rial | null, closed_at: string | null, z_no: number | null, };

export type CashMove = { at: string, amount: Rial, reason: string, by: PersonRef | null, };

export type NoteCount = { note: Rial, count: number, };

export type ShiftReport = { shift: Shift, 
/**
 * Sales by payment method, returns, old gold in grams by purity: the
 * day report's rule, over this shift's sales and returns.
 */
sales: SalesReport, 
/**
 * Taken off the making charge and profit of the shift's sales.
 */
discounts: Rial, cash_in: Rial, cash_out: Rial, cash_moves: Array<CashMove>, 
/**
 * What the drawer should hold: the float (none when not counted), the
 * cash the trade brought in (`sales.cash_expected`), cash in less out.
 */
cash_expected: Rial, };

export type ZReport = { z_no: number, closed_at: string, closed_by: PersonRef | null, report: ShiftReport, counted: Array<NoteCount>, counted_total: Rial, 
/**
 * counted − expected: above zero over, below short.
 */
over_short: Rial, 
/**
 * Every sale less every return of this till up to the close, voided
 * sales left out (the day report's rule), since its first sale.
 */
grand_total: Rial, };

export type ShiftStatusView = { open: ShiftReport | null, last_z: ZReport | null, notes: Array<Rial>, };

export type PurityGramsView = { purity: string, karat: string | null, grams: string, };

export type ReportRowView = { day: string, till: string, seller: string | null, sales: number, lines: number, grams: Array<PurityGramsView>, gold: string, wage: string, profit: string, vat: string, total: string, discounts: string, returns: number, returns_total: string, old_gold: Array<PurityGramsView>, old_gold_value: string, };

export type HourView = { hour: number, sales: number, total: string, };

export type ZSummaryView = { till: string, z_no: number, closed_at: string, counted_total: string, over_short: string, grand_total: string, };

export type ShopReportView = { from: string, to: string, rows: Array<ReportRowView>, by_hour: Array<HourView>, z_reports: Array<ZSummaryView>, };

export type Mobile = string;

export type NationalId = string;

export type Customer = { id: string, name: string, mobile: Mobile | null, national_id: NationalId | null, created_at: string, 
/**
 * A business buyer's economic code, and the postal code: the buyer's
 * block of an official invoice, with the national id.
 */
economic_code: string | null, postal_code: string | null, 
/**
 * How far the Rial balance of the account may go below zero; zero: no
 * debt. Set by a manager or the owner.
 */
credit_limit: Rial, };

export type NewCustomerInput = { name: string, mobile: string | null, national_id: string | null, };

export type PriceOrigin = "till" | "server";

export type PriceScope = "shop" | "till";

export type GoldPrice = { id: string, 
/**
 * Rial per gram of 18k gold (purity 750).
 */
per_gram_18k: Rial, 
/**
 * The mesghal quote it came from, when it did.
 */
mazaneh: Rial | null, set_at: string, origin: PriceOrigin, 
/**
 * The shop's price, or this till's own.
 */
scope: PriceScope, 
/**
 * Who set it, when known (the owner's name).
 */
set_by: string | null, };

export type QuoteBasis = "gram" | "mesghal";

export type GoldPriceInput = { by: QuoteBasis, amount: string, };

export type PriceChangeView = { step_percent: Percent, per_gram_18k: Rial, 
/**
 * The mesghal quote typed, or the one the per-gram price stands for.
 */
per_mesghal: Rial, previous: GoldPrice | null, previous_per_mesghal: Rial | null, 
/**
 * Signed, in percent of the previous price, to two places.
 */
change_percent: string | null, 
/**
 * The step is larger than the shop's setting.
 */
needs_confirmation: boolean, };

export type GoldPrices = { current: GoldPrice | null, stale: boolean, max_age_hours: number, history: Array<GoldPrice>, old_gold_per_gram_18k: string | null, old_gold_spread_percent: string, step_percent: string, floor: string | null, ceiling: string | null, };

export type EngineState = "not_enrolled" | "idle" | "syncing" | "retrying" | "stopped";

export type SyncPhase = "push" | "pull";

export type ProgressView = { phase: SyncPhase, pushed: number, to_push: number, pulled: number, };

export type SyncView = { state: EngineState, online: boolean, 
/**
 * Other tills' sales stream in as they happen.
 */
live: boolean, shop: string | null, pending: number, pending_sales: number, oldest_pending_sale_at: string | null, open_conflicts: number, rejected: number, last_success: string | null, last_error: Localized | null, next_attempt: string | null, progress: ProgressView | null, alerts: Array<Localized>, };

export type ConflictKind = "item_already_sold" | "item_unknown" | "price_out_of_tolerance" | "customer_duplicate" | "item_tag_taken" | "journal_broken" | "validation_failed" | "discount_over_limit" | "balance_overdrawn";

export type Resolution = "accept" | "void" | "resubmit" | "retry";

export type ResolutionView = { resolution: Resolution, resolved_by: string, reason: string | null, at: string, };

export type ServerSide = { tag: string | null, item_status: ItemStatus | null, sold_by_till: string | null, per_gram_18k: string | null, tolerance_percent: string | null, 
/**
 * For a discount past a limit: its share of the making charge and
 * profit, and the seller's limit (percent).
 */
discount_percent: string | null, discount_limit_percent: string | null, 
/**
 * For an account spent past its limit: where it stood on the server.
 */
account: AccountSide | null, };

export type PriceGap = { till_per_gram_18k: string, shop_per_gram_18k: string, sale_due: string, due_at_shop_price: string, shortfall: string, };

export type DisabledOption = { resolution: Resolution, why: string, };

export type ConflictView = { op_id: string, kind: ConflictKind, message_key: string, till: string | null, mine: boolean, open: boolean, pending: boolean, created_at: string, 
/**
 * What can be settled from this till.
 */
options: Array<Resolution>, 
/**
 * What the server offers but this till cannot do, with why.
 */
disabled: Array<DisabledOption>, server: ServerSide, price_gap: PriceGap | null, sale: SaleView | null, resolution: ResolutionView | null, last_refusal: string | null, };

export type ReplacePiece = { old: string, new: string, };

export type DueChangeInput = { amount: string, method: PaymentMethod, };

export type ResolveInput = { op_id: string, resolution: Resolution, reason: string | null, replace: Array<ReplacePiece>, payments: Array<PaymentDraft> | null, due_change: DueChangeInput | null, };

export type ResubmitPreviewView = { old_due: string, new_due: string, difference: string, };

export type SettingKey = "profit_percent" | "trade_in_deduction_percent" | "price_max_age_hours" | "display_unit" | "price_step_percent" | "price_floor" | "price_ceiling" | "old_gold_spread_percent" | "trade_in_max_grams";

export type SettingsView = { profit_percent: string, trade_in_deduction_percent: string, price_max_age_hours: number, display_unit: DisplayUnit, vat_percent: string, price_step_percent: string, 
/**
 * Rial per gram of 18k; empty when not set.
 */
price_floor: string, price_ceiling: string, old_gold_spread_percent: string, trade_in_max_grams: string, lang: Lang, server_url: string | null, shop: string | null, till_name: string, owner_name: string | null, };

export type PersonInput = { id: string | null, name: string | null, role: Role | null, pin: string | null, active: boolean | null, discount_limit: string | null, };

export type AccountMoveKind = "sale" | "refund" | "payment" | "payout" | "gold_in" | "gold_out" | "convert";

export type PlanUnit = "rial" | "gold";

export type InstallmentState = "paid" | "part" | "due" | "overdue";

export type InstallmentLine = { no: number, due: string, 
/**
 * Rials, or milligrams of 750 (numbers far below 2^53).
 */
amount: number, 
/**
 * What is still to pay of it.
 */
left: number, state: InstallmentState, };

export type Plan = { id: string, customer_id: string, customer: string, mobile: string | null, invoice_no: number, unit: PlanUnit, 
/**
 * Rials, or milligrams of 750.
 */
total: number, paid: number, per_gram_18k: Rial | null, installments: Array<InstallmentLine>, 
/**
 * The till it was made at; none: this one.
 */
till: string | null, };

export type MoveState = "pending" | "applied" | "conflict" | "accepted" | "voided";

export type GoldMg = number;

export type Balance = { rial: Rial, gold: GoldMg, };

export type AccountMove = { id: string, kind: AccountMoveKind, rial: Rial, gold: GoldMg, moved_at: string, state: MoveState, 
/**
 * The till it was made at; none: this one.
 */
till: string | null, by: PersonRef | null, method: PaymentMethod | null, 
/**
 * The old gold weighed, for gold in and out.
 */
weight: Weight | null, purity: Purity | null, 
/**
 * The day's price of a conversion.
 */
per_gram_18k: Rial | null, 
/**
 * The sale's invoice number at its till, for a sale's part.
 */
invoice_no: bigint | null, note: string | null, };

export type StatementLine = { balance: Balance, id: string, kind: AccountMoveKind, rial: Rial, gold: GoldMg, moved_at: string, state: MoveState, 
/**
 * The till it was made at; none: this one.
 */
till: string | null, by: PersonRef | null, method: PaymentMethod | null, 
/**
 * The old gold weighed, for gold in and out.
 */
weight: Weight | null, purity: Purity | null, 
/**
 * The day's price of a conversion.
 */
per_gram_18k: Rial | null, 
/**
 * The sale's invoice number at its till, for a sale's part.
 */
invoice_no: bigint | null, note: string | null, };

export type Statement = { customer: Customer, lines: Array<StatementLine>, balance: Balance, 
/**
 * How much more may go on the account in Rials: balance + limit.
 */
available: Rial, 
/**
 * Movements parked for the owner (not in the balance).
 */
in_conflict: number, };

export type AccountView = { statement: Statement, described: Array<string>, 
/**
 * The customer's installment plans, each installment's state today.
 */
plans: Array<Plan>, };

export type AccountAction = "payment" | "payout" | "gold_in" | "gold_out" | "gold_to_rial" | "rial_to_gold" | "pay_installment";

export type AccountMoveInput = { customer: string, action: AccountAction, amount: string | null, method: PaymentMethod | null, weight: string | null, purity: string | null, deduction: string | null, note: string | null, 
/**
 * The plan paid towards.
 */
plan: string | null, };

export type AccountSide = { rial: string, gold: string, credit_limit: string, move_rial: string, move_gold: string, spent_elsewhere: Array<SpentView>, };

export type SpentView = { till: string, kind: AccountMoveKind, rial: string, gold: string, at: string, };

/** Every failed command rejects with this. */
export type AppError = Localized;
