// The app's shared state: who the till is, its sync status, the screen shown.
// Components read it through the helpers below, so text follows the chosen
// language and money the chosen unit everywhere at once.
import type { AppInfo, DisplayUnit, Lang, Localized, SyncView, UpdateView } from "./bindings";
import { errorText, localize, translate, type Args } from "./i18n";
import { formatDateTime, formatDay, formatMoney, formatNumber, formatWeight, relativeTime } from "./format";

export type Screen = "sale" | "inventory" | "gold" | "sales" | "drawer" | "settings" | "customers";

export const app = $state({
  info: null as AppInfo | null,
  sync: null as SyncView | null,
  update: null as UpdateView | null,
  screen: "sale" as Screen,
  /** A sale has pieces, old gold or payments entered: no update installs now. */
  saleOpen: false,
  /** An exchange under way: these pieces of an invoice come back in the next sale. */
  exchange: null as { invoice_no: number; tags: string[]; refund: string } | null,
  /** Ticks every 15 s so relative times stay true. */
  now: new Date(),
});

export const lang = (): Lang => app.info?.lang ?? "fa";
export const unit = (): DisplayUnit => app.info?.unit ?? "rial";

export const t = (id: string, args: Args = {}): string => translate(lang(), id, args);
export const tl = (m: Localized): string => localize(lang(), unit(), m);
export const terr = (e: unknown): string => errorText(lang(), unit(), e);

/** Money in the display unit, with the unit's name. */
export const money = (rials: string): string => `${formatMoney(rials, unit(), lang())} ${t(`unit-${unit()}`)}`;
/** Money in the display unit, number only (for tables with the unit in the header). */
export const amount = (rials: string): string => formatMoney(rials, unit(), lang());
export const num = (value: string | number): string => formatNumber(String(value), lang());
export const grams = (value: string): string => formatWeight(value, lang());
export const day = (iso: string): string => formatDay(iso, lang());
/**
 * A purity with its karat name, as every screen and the receipt show it: "۷۵۰ (۱۸ عیار)".
 * `karat` is the name's Fluent id as the backend gives it with the purity (null: none).
 */
export const purity = (perMille: string, karat: string | null): string =>
  karat ? `${num(perMille)} (${t(karat)})` : num(perMille);
export const dateTime = (iso: string): string => formatDateTime(iso, lang());
export const ago = (iso: string): string => relativeTime(iso, app.now, lang());

/** Applies what the backend says about the till (language, unit, owner lock) to the page. */
export function setInfo(info: AppInfo): void {
  app.info = info;
  document.documentElement.lang = info.lang;
  document.documentElement.dir = info.lang === "fa" ? "rtl" : "ltr";
}
