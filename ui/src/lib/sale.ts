// The sale form's logic, apart from Svelte so it can be tested alone.
// A draft is what the cashier has entered so far; the backend prices it
// (a Quote). Every function here returns a new draft and leaves the old one
// untouched, so the screen can keep the old draft when the backend refuses
// the new one. Money is handled as decimal strings and BigInt, never floats:
// a sale can be 10^12 Rials and more.
import type {
  DisplayUnit, Lang, NewCustomerInput, PaymentMethod, Quote, SaleDraft, TradeInDraft,
} from "./bindings";
import { divideByTen, foldDigits, formatNumber } from "./format";

export const PAYMENT_METHODS: readonly PaymentMethod[] = ["cash", "card", "transfer", "cheque", "account"];

export function emptyDraft(): SaleDraft {
  return { items: [], customer: null, payments: [], trade_ins: [], exchange: null, wage_discount: null, profit_discount: null };
}

/** A plain copy of the draft for the API (no Svelte proxies, no shared arrays). */
export function toApi(d: SaleDraft): SaleDraft {
  return {
    items: [...d.items],
    customer: d.customer,
    payments: d.payments.map((p) => ({ method: p.method, amount: p.amount })),
    trade_ins: d.trade_ins.map((t) => ({ weight: t.weight, purity: t.purity, deduction: t.deduction })),
    exchange: d.exchange ? { invoice_no: d.exchange.invoice_no, tags: [...d.exchange.tags] } : null,
    wage_discount: d.wage_discount,
    profit_discount: d.profit_discount,
  };
}

/** True when there is anything to price: a quote of nothing is no quote. */
export function needsQuote(d: SaleDraft): boolean {
  return d.items.length > 0 || d.trade_ins.length > 0;
}

export function isEmptyDraft(d: SaleDraft): boolean {
  return !needsQuote(d) && d.payments.length === 0 && d.customer === null;
}

// ---- decimals -----------------------------------------------------------

// Bidi marks and the zero-width non-joiner come along with pasted text.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** A scaled integer: value = units / 10^scale. */
type Fixed = { units: bigint; scale: number };

function toFixed(value: string): Fixed {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(foldDigits(value.trim()).replace("\u2212", "-"));
  if (!m) throw new Error(`not a decimal: ${value}`);
  const frac = m[3] ?? "";
  const units = BigInt((m[2] ?? "0") + frac);
  return { units: m[1] === "-" ? -units : units, scale: frac.length };
}

function align(a: Fixed, b: Fixed): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

function fromFixed(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, "");
  return `${negative ? "-" : ""}${int}${frac ? "." + frac : ""}`;
}

/** −1, 0 or 1 as a is below, equal to or above b (decimal strings). */
export function compareDecimal(a: string, b: string): number {
  const [x, y] = align(toFixed(a), toFixed(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addDecimal(a: string, b: string): string {
  const [x, y, scale] = align(toFixed(a), toFixed(b));
  return fromFixed(x + y, scale);
}

export function subtractDecimal(a: string, b: string): string {
  const [x, y, scale] = align(toFixed(a), toFixed(b));
  return fromFixed(x - y, scale);
}

/** Rials in the display unit, as a plain decimal string the backend reads back exactly. */
export function rialsToUnit(rials: string, unit: DisplayUnit): string {
  if (unit === "toman") return divideByTen(rials);
  const f = toFixed(rials);
  return fromFixed(f.units, f.scale);
}

// ---- items --------------------------------------------------------------

/** A tag or barcode as the backend matches it: ASCII digits, no invisible marks, no surrounding space. */
export function cleanCode(raw: string): string {
  return foldDigits(raw.replace(INVISIBLE, "")).trim();
}

export type ItemResult =
  | { ok: true; draft: SaleDraft; code: string }
  | { ok: false; reason: "empty" | "invalid" | "duplicate"; code: string };

/** Adds a scanned or typed code; refuses one already in the sale (compared after folding digits). */
export function addItem(d: SaleDraft, raw: string): ItemResult {
  const code = cleanCode(raw);
  if (!code) return { ok: false, reason: "empty", code };
  // The backend takes codes of up to 64 printable characters without spaces.
  if ([...code].length > 64 || /[\s\p{Cc}]/u.test(code)) return { ok: false, reason: "invalid", code };
  if (d.items.some((c) => cleanCode(c) === code)) return { ok: false, reason: "duplicate", code };
  return { ok: true, draft: { ...d, items: [...d.items, code] }, code };
}

export function removeItem(d: SaleDraft, index: number): SaleDraft {
  return { ...d, items: d.items.filter((_, i) => i !== index) };
}

/** The row selected after moving by delta in a list of count rows; null when the list is empty. */
export function moveSelection(current: number | null, count: number, delta: number): number | null {
  if (count <= 0) return null;
  if (current === null) return delta < 0 ? count - 1 : 0;
  return Math.min(count - 1, Math.max(0, current + delta));
}

/** The selection after row `removed` is deleted from a list that now has count rows. */
export function selectionAfterRemove(selected: number | null, removed: number, count: number): number | null {
  if (selected === null || count <= 0) return null;
  if (selected > removed) return selected - 1;
  return Math.min(selected, count - 1);
}

// ---- customer -----------------------------------------------------------

export function setCustomer(d: SaleDraft, id: string | null): SaleDraft {
  return { ...d, customer: id };
}

export type CustomerField = "name" | "mobile" | "national_id";

/** What a search text most likely is, so quick-add can prefill the right field. */
export function guessCustomerField(text: string): CustomerField {
  const s = foldDigits(text).replace(/[\s-]/g, "");
  if (/^(\+98|0098|0)?9\d{9}$/.test(s)) return "mobile";
  if (/^\d{10}$/.test(s)) return "national_id";
  return "name";
}

/** The quick-add form as the API wants it: trimmed, digits folded, empty fields null. */
export function newCustomerInput(name: string, mobile: string, nationalId: string): NewCustomerInput | null {
  const n = name.replace(INVISIBLE, "").trim();
  if (!n) return null;
  const opt = (s: string) => {
    const v = foldDigits(s.replace(INVISIBLE, "")).replace(/[\s-]/g, "");
    return v ? v : null;
  };
  return { name: n, mobile: opt(mobile), national_id: opt(nationalId) };
}

// ---- payments -----------------------------------------------------------

export type AmountRead = { ok: true; amount: string } | { ok: false; reason: "empty" | "zero" | "invalid" };

/**
 * An amount typed in the display unit, ready for the backend: digits folded,
 * thousands separators and spaces dropped, a plain ASCII decimal. Refused
 * unless it is a positive number of whole Rials ("1,5" is refused, as the
 * backend does: likely a mistyped 1.5; a Toman amount may have one decimal,
 * a Rial). Zero is told apart: it is a slip, not a malformed number.
 */
export function readAmount(raw: string, unit: DisplayUnit): AmountRead {
  const s = foldDigits(raw.replace(INVISIBLE, "")).replace(/[\s_']/g, "");
  if (!s) return { ok: false, reason: "empty" };
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return { ok: false, reason: "invalid" };
  const int = (m[1] ?? "").replace(/,/g, "");
  const frac = (m[2] ?? "").replace(/0+$/, "");
  if (frac.length > (unit === "toman" ? 1 : 0)) return { ok: false, reason: "invalid" };
  const value = frac ? `${int}.${frac}` : int;
  if (compareDecimal(value, "0") <= 0) return { ok: false, reason: "zero" };
  return { ok: true, amount: value.replace(/^0+(?=\d)/, "") };
}

/** readAmount's amount, or null for anything refused. */
export function cleanAmount(raw: string, unit: DisplayUnit): string | null {
  const r = readAmount(raw, unit);
  return r.ok ? r.amount : null;
}

/** An amount in the display unit (as cleanAmount gives it) in Rials. */
export function unitToRials(amount: string, unit: DisplayUnit): string {
  const f = toFixed(amount);
  return fromFixed(unit === "toman" ? f.units * 10n : f.units, f.scale);
}

/** The method a fresh payment starts with, and the one the panel goes back to after each payment. */
export const DEFAULT_PAYMENT_METHOD: PaymentMethod = "cash";

/**
 * The method shown after a payment is entered: the default once it is taken
 * (the next payment is most often the cash rest), unchanged when refused so
 * the cashier can correct the amount.
 */
export function methodAfterPayment(method: PaymentMethod, accepted: boolean): PaymentMethod {
  return accepted ? DEFAULT_PAYMENT_METHOD : method;
}

/** Sum of the payments of a quote not made in cash, in Rials. */
export function nonCashPaid(quote: Quote): string {
  return quote.payments.filter((p) => p.method !== "cash").reduce((sum, p) => addDecimal(sum, p.amount), "0");
}

/**
 * How much more may be paid by card, transfer or cheque, in Rials: what is
 * due less what those methods already cover (as zargar-rules non_cash_fits:
 * change is only ever cash, so they may not pay more than is due). Nothing
 * when the sale is unpriced or the old gold covers it all.
 */
export function nonCashRoom(quote: Quote | null): string {
  if (!quote || compareDecimal(quote.totals.due, "0") <= 0) return "0";
  const room = subtractDecimal(quote.totals.due, nonCashPaid(quote));
  return compareDecimal(room, "0") > 0 ? room : "0";
}

export type PaymentResult =
  | { ok: true; draft: SaleDraft; amount: string }
  | { ok: false; reason: "invalid" | "zero" | "nothing-due" }
  /** amount and room in Rials: what was typed, and what card, transfer and cheque may still pay. */
  | { ok: false; reason: "above-due"; amount: string; room: string };

/**
 * Adds a payment typed in the display unit. Given the quote the payment
 * would join (null: unpriced), a card, transfer or cheque amount beyond what
 * those methods may still pay is refused here, before the backend is asked;
 * the backend checks it again and has the last word.
 */
export function addPayment(d: SaleDraft, method: PaymentMethod, raw: string, unit: DisplayUnit, quote?: Quote | null): PaymentResult {
  const r = readAmount(raw, unit);
  if (!r.ok) return { ok: false, reason: r.reason === "zero" ? "zero" : "invalid" };
  if (quote !== undefined && method !== "cash") {
    const rials = unitToRials(r.amount, unit);
    const room = nonCashRoom(quote);
    if (compareDecimal(rials, room) > 0) return { ok: false, reason: "above-due", amount: rials, room };
  }
  return { ok: true, draft: { ...d, payments: [...d.payments, { method, amount: r.amount }] }, amount: r.amount };
}

/** Pays exactly what the quote says is still missing, in the display unit. */
export function payRest(d: SaleDraft, method: PaymentMethod, quote: Quote | null, unit: DisplayUnit): PaymentResult {
  if (!quote || compareDecimal(quote.remaining, "0") <= 0) return { ok: false, reason: "nothing-due" };
  const amount = rialsToUnit(quote.remaining, unit);
  return { ok: true, draft: { ...d, payments: [...d.payments, { method, amount }] }, amount };
}

export function removePayment(d: SaleDraft, index: number): SaleDraft {
  return { ...d, payments: d.payments.filter((_, i) => i !== index) };
}

/** The method after `method`, cycling (arrow keys in the amount field). */
export function cycleMethod(method: PaymentMethod, delta: number): PaymentMethod {
  const n = PAYMENT_METHODS.length;
  const i = PAYMENT_METHODS.indexOf(method);
  return PAYMENT_METHODS[(((i + delta) % n) + n) % n] ?? "cash";
}

// ---- settling -----------------------------------------------------------

export type ConfirmCheck = { ok: true } | { ok: false; reason: "no-items" | "payments-short" };

/** Whether the priced sale can be recorded: at least one piece, and payments covering what is due. */
export function canConfirm(quote: Quote | null): ConfirmCheck {
  if (!quote || quote.lines.length === 0) return { ok: false, reason: "no-items" };
  if (compareDecimal(quote.remaining, "0") > 0) return { ok: false, reason: "payments-short" };
  return { ok: true };
}

/**
 * Rials the shop hands the customer when the old gold is worth more than the
 * pieces (what is due is below zero): the change then, which also returns
 * any cash the customer put down. Null when the customer is the one paying.
 */
export function shopPays(quote: Quote | null): string | null {
  if (!quote || compareDecimal(quote.totals.due, "0") >= 0) return null;
  const change = quote.totals.change;
  return compareDecimal(change, "0") > 0 ? change : subtractDecimal("0", quote.totals.due);
}

/**
 * True when recording must first ask the cashier to confirm the payout:
 * money leaves the drawer, and the amount asked about (null: not asked yet)
 * is not the one the sale now pays out.
 */
export function needsPayoutConfirm(quote: Quote | null, asked: string | null): boolean {
  const owed = shopPays(quote);
  return owed !== null && (asked === null || compareDecimal(owed, asked) !== 0);
}

// ---- trade-ins ----------------------------------------------------------

export type TradeInResult =
  | { ok: true; tradeIn: TradeInDraft }
  | { ok: false; field: "weight" | "purity" | "deduction"; value: string };

/** A plain decimal typed with any digits and either decimal point; null when it is not one. */
function plainDecimal(raw: string): string | null {
  const s = foldDigits(raw.replace(INVISIBLE, "")).trim();
  return /^\d+(\.\d+)?$/.test(s) ? s : null;
}

/**
 * Checks the shape of the old-gold form: weight > 0 grams (up to
 * milligrams), purity per mille 1–1000 with at most one decimal, deduction
 * empty (the shop's default) or a percent from 0 to under 100.
 */
export function checkTradeIn(weight: string, purity: string, deduction: string): TradeInResult {
  const w = plainDecimal(weight);
  if (w === null || compareDecimal(w, "0") <= 0 || (w.split(".")[1] ?? "").replace(/0+$/, "").length > 3) {
    return { ok: false, field: "weight", value: weight };
  }
  const p = plainDecimal(purity);
  if (p === null || compareDecimal(p, "1") < 0 || compareDecimal(p, "1000") > 0 || (p.split(".")[1] ?? "").replace(/0+$/, "").length > 1) {
    return { ok: false, field: "purity", value: purity };
  }
  let d: string | null = null;
  const typed = deduction.replace(/[%٪]/g, "").trim();
  if (typed) {
    d = plainDecimal(typed);
    if (d === null || compareDecimal(d, "100") >= 0) return { ok: false, field: "deduction", value: deduction };
  }
  return { ok: true, tradeIn: { weight: w, purity: p, deduction: d } };
}

export function addTradeIn(d: SaleDraft, tradeIn: TradeInDraft): SaleDraft {
  return { ...d, trade_ins: [...d.trade_ins, tradeIn] };
}

export function removeTradeIn(d: SaleDraft, index: number): SaleDraft {
  return { ...d, trade_ins: d.trade_ins.filter((_, i) => i !== index) };
}

// ---- display ------------------------------------------------------------

/** A rate as a reader expects it: "۹٪", "9%". */
export function formatPercent(value: string, lang: Lang): string {
  return `${formatNumber(value, lang)}${lang === "fa" ? "٪" : "%"}`;
}
