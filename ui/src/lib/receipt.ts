// The 80 mm receipt as rows of text, for thermal printers that take it as
// a picture (they have no Persian font): the webview shapes the Persian,
// `raster.ts` draws these rows and packs the dots. The same facts as the
// receipt the Invoice component prints, in the same words.
import type { SaleView, WageRate } from "./bindings";
import { isZero } from "./format";
import { addDecimal } from "./sale";

/** One row: text on the reader's side, an amount on the other. */
export type ReceiptRow =
  | { kind: "title"; text: string }
  | { kind: "line"; start: string; end?: string; strong?: boolean }
  | { kind: "rule" };

/** The formatters the receipt needs, in the till's language and unit. */
export type ReceiptWords = {
  t: (id: string, args?: Record<string, string | number>) => string;
  money: (rials: string) => string;
  num: (value: string | number) => string;
  /** An id (economic code, postal code) in the reader's digits, unseparated. */
  digits: (id: string) => string;
  grams: (value: string) => string;
  purity: (perMille: string, karat: string | null) => string;
  percent: (value: string) => string;
  dateTime: (iso: string) => string;
};

export function receiptRows(sale: SaleView, w: ReceiptWords): ReceiptRow[] {
  const wage = (r: WageRate) => (r.kind === "percent" ? w.percent(r.value) : w.t("invoice-per-gram", { amount: w.money(r.value) }));
  const rows: ReceiptRow[] = [];
  if (sale.shop) rows.push({ kind: "title", text: sale.shop });
  rows.push({ kind: "title", text: w.t("receipt-heading") });
  rows.push({ kind: "line", start: w.t("receipt-no"), end: w.num(sale.invoice_no) });
  rows.push({ kind: "line", start: w.t("receipt-till"), end: sale.till });
  rows.push({ kind: "line", start: w.t("receipt-date"), end: w.dateTime(sale.sold_at) });
  rows.push({ kind: "line", start: w.t("receipt-customer"), end: sale.customer ?? w.t("walk-in-customer") });
  if (sale.seller) rows.push({ kind: "line", start: w.t("receipt-seller"), end: sale.seller });
  // The official invoice's legal blocks, and the tax id once accepted.
  const legal = sale.legal;
  if (legal.seller) {
    const s = legal.seller;
    rows.push({ kind: "rule" });
    rows.push({ kind: "line", start: w.t("invoice-legal-seller"), strong: true });
    rows.push({ kind: "line", start: w.t("legal-name"), end: s.name });
    rows.push({ kind: "line", start: w.t("legal-economic-code"), end: w.digits(s.economic_code) });
    rows.push({ kind: "line", start: w.t("legal-national-id"), end: w.digits(s.national_id) });
    rows.push({ kind: "line", start: w.t("legal-postal-code"), end: w.digits(s.postal_code) });
    rows.push({ kind: "line", start: w.t("legal-phone"), end: w.digits(s.phone) });
    rows.push({ kind: "line", start: `${w.t("legal-address")}: ${s.address}` });
  }
  if (legal.buyer) {
    const b = legal.buyer;
    rows.push({ kind: "rule" });
    rows.push({ kind: "line", start: w.t("invoice-legal-buyer"), strong: true });
    rows.push({ kind: "line", start: w.t("legal-name"), end: b.name });
    if (b.national_id) rows.push({ kind: "line", start: w.t("legal-national-id"), end: w.digits(b.national_id) });
    if (b.economic_code) rows.push({ kind: "line", start: w.t("legal-economic-code"), end: w.digits(b.economic_code) });
    if (b.postal_code) rows.push({ kind: "line", start: w.t("legal-postal-code"), end: w.digits(b.postal_code) });
  }
  if (legal.tax_id) rows.push({ kind: "line", start: w.t("invoice-tax-id", { id: legal.tax_id }) });
  rows.push({ kind: "rule" });
  for (const line of sale.lines) {
    const returned = line.returned ? ` (${w.t("invoice-returned")})` : "";
    rows.push({ kind: "line", start: `${line.name} ${line.tag}${returned}`, strong: true });
    rows.push({ kind: "line", start: w.t("invoice-weight"), end: w.t("invoice-grams", { weight: w.grams(line.weight) }) });
    rows.push({ kind: "line", start: w.t("invoice-purity"), end: w.purity(line.purity, line.karat) });
    rows.push({ kind: "line", start: w.t("invoice-gold"), end: w.money(line.price.gold) });
    rows.push({ kind: "line", start: `${w.t("invoice-wage")} (${wage(line.wage_rate)})`, end: w.money(line.price.wage) });
    const off = line.discount;
    if (off && !isZero(off.wage)) rows.push({ kind: "line", start: w.t("invoice-wage-discount"), end: `−${w.money(off.wage)}` });
    rows.push({ kind: "line", start: `${w.t("invoice-profit")} (${w.percent(line.profit_percent)})`, end: w.money(line.price.profit) });
    if (off && !isZero(off.profit)) rows.push({ kind: "line", start: w.t("invoice-profit-discount"), end: `−${w.money(off.profit)}` });
    rows.push({ kind: "line", start: `${w.t("invoice-vat")} (${w.percent(sale.vat_percent)})`, end: w.money(line.price.vat) });
    if (!isZero(line.price.stones)) rows.push({ kind: "line", start: w.t("invoice-stones"), end: w.money(line.price.stones) });
    rows.push({ kind: "line", start: w.t("invoice-line-total"), end: w.money(line.price.total), strong: true });
    rows.push({ kind: "rule" });
  }
  if (!(isZero(sale.discount.wage) && isZero(sale.discount.profit))) {
    rows.push({ kind: "line", start: w.t("invoice-sum-discount"), end: `−${w.money(addDecimal(sale.discount.wage, sale.discount.profit))}` });
  }
  rows.push({ kind: "line", start: w.t("invoice-total"), end: w.money(sale.totals.total), strong: true });
  for (const ti of sale.trade_ins) {
    rows.push({ kind: "line", start: `${w.t("payment-trade_in")} ${w.grams(ti.weight)} (${w.purity(ti.purity, ti.karat)})`, end: w.money(ti.value) });
  }
  if (!isZero(sale.totals.trade_in)) rows.push({ kind: "line", start: w.t("invoice-due"), end: w.money(sale.totals.due), strong: true });
  for (const p of sale.payments) {
    rows.push({ kind: "line", start: w.t("receipt-payment", { method: w.t(`payment-${p.method}`) }), end: w.money(p.amount) });
  }
  if (!isZero(sale.totals.change) && !sale.totals.change.startsWith("-")) {
    rows.push({ kind: "line", start: w.t("invoice-change"), end: w.money(sale.totals.change), strong: true });
  }
  for (const note of sale.returns) {
    rows.push({ kind: "rule" });
    rows.push({ kind: "line", start: w.t("invoice-credit-note", { number: w.num(note.return_no), date: w.dateTime(note.returned_at) }), strong: true });
    for (const line of note.lines) rows.push({ kind: "line", start: `${line.name} ${line.tag}`, end: w.money(line.price.total) });
    for (const r of note.refunds) {
      rows.push({ kind: "line", start: w.t("invoice-refund", { method: w.t(`payment-${r.method}`) }), end: w.money(r.amount) });
    }
  }
  rows.push({ kind: "rule" });
  rows.push({ kind: "line", start: w.t("invoice-gold-price", { price: w.money(sale.per_gram_18k) }) });
  rows.push({ kind: "line", start: w.t("receipt-vat-rate", { percent: w.percent(sale.vat_percent) }) });
  return rows;
}
