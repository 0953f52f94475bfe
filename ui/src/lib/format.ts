// Numbers, money and dates as a Persian (or English) reader expects them.
// Values arrive from Rust as decimal strings; nothing here uses floats for money.
import type { DisplayUnit, Lang } from "./bindings";

const PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
const ARABIC = "٠١٢٣٤٥٦٧٨٩";

/** Persian and Arabic-Indic digits to ASCII, and the Persian separators to ASCII ones. */
export function foldDigits(s: string): string {
  let out = "";
  for (const ch of s) {
    const p = PERSIAN.indexOf(ch);
    const a = ARABIC.indexOf(ch);
    if (p >= 0) out += String(p);
    else if (a >= 0) out += String(a);
    else if (ch === "٫") out += ".";
    else if (ch === "٬" || ch === "،") out += ",";
    else out += ch;
  }
  return out;
}

export function toPersianDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => PERSIAN[Number(d)] ?? d);
}

/** The language's digits. */
export function digits(s: string, lang: Lang): string {
  return lang === "fa" ? toPersianDigits(s) : s;
}

/** Splits a plain decimal string ("-1234.50") into sign, integer digits and fraction digits. */
function splitDecimal(value: string): { negative: boolean; int: string; frac: string } {
  const v = foldDigits(value.trim());
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(v);
  if (!m) throw new Error(`not a decimal: ${value}`);
  const int = (m[2] ?? "").replace(/^0+(?=\d)/, "") || "0";
  const frac = m[3] ?? "";
  const negative = m[1] === "-" && /[1-9]/.test(int + frac);
  return { negative, int, frac };
}

function group(int: string, sep: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** A decimal string for reading: grouped thousands, the language's digits and separators. */
export function formatNumber(value: string, lang: Lang, opts: { trimZeros?: boolean } = {}): string {
  const { negative, int, frac: rawFrac } = splitDecimal(value);
  const frac = opts.trimZeros === false ? rawFrac : rawFrac.replace(/0+$/, "");
  const fa = lang === "fa";
  let s = group(int, fa ? "٬" : ",");
  if (frac) s += (fa ? "٫" : ".") + frac;
  s = digits(s, lang);
  // U+2212 reads better than a hyphen in both scripts.
  return negative ? `\u2212${s}` : s;
}

/** Divides a decimal string by ten without floats (Rial → Toman). */
export function divideByTen(value: string): string {
  const { negative, int, frac } = splitDecimal(value);
  const padded = int.padStart(2, "0");
  const newInt = padded.slice(0, -1).replace(/^0+(?=\d)/, "");
  const newFrac = (padded.slice(-1) + frac).replace(/0+$/, "");
  return `${negative ? "-" : ""}${newInt}${newFrac ? "." + newFrac : ""}`;
}

/** An amount of Rials in the till's display unit, without the unit's name. */
export function formatMoney(rials: string, unit: DisplayUnit, lang: Lang): string {
  return formatNumber(unit === "toman" ? divideByTen(rials) : rials, lang);
}

/** Grams with three decimals, as a scale shows them. */
export function formatWeight(grams: string, lang: Lang): string {
  const { negative, int, frac } = splitDecimal(grams);
  const f = (frac + "000").slice(0, Math.max(3, frac.replace(/0+$/, "").length));
  return formatNumber(`${negative ? "-" : ""}${int}.${f}`, lang, { trimZeros: false });
}

/** True when a decimal string is below zero. */
export function isNegative(value: string): boolean {
  return splitDecimal(value).negative;
}

/** True when a decimal string is exactly zero. */
export function isZero(value: string): boolean {
  const { int, frac } = splitDecimal(value);
  return !/[1-9]/.test(int + frac);
}

/** The absolute value of a decimal string. */
export function abs(value: string): string {
  const v = foldDigits(value.trim());
  return v.startsWith("-") || v.startsWith("+") ? v.slice(1) : v;
}

// ---- dates ------------------------------------------------------------

export type JalaliDate = { year: number; month: number; day: number };

/** Gregorian → Jalali (the arithmetic of jalaali-js, integer only). */
export function toJalali(gy: number, gm: number, gd: number): JalaliDate {
  const gdm = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
  const gy2 = gm > 2 ? gy + 1 : gy;
  let days =
    355666 + 365 * gy + Math.floor((gy2 + 3) / 4) - Math.floor((gy2 + 99) / 100) + Math.floor((gy2 + 399) / 400) + gd + (gdm[gm - 1] ?? 0);
  let jy = -1595 + 33 * Math.floor(days / 12053);
  days %= 12053;
  jy += 4 * Math.floor(days / 1461);
  days %= 1461;
  if (days > 365) {
    jy += Math.floor((days - 1) / 365);
    days = (days - 1) % 365;
  }
  const month = days < 186 ? 1 + Math.floor(days / 31) : 7 + Math.floor((days - 186) / 30);
  const day = 1 + (days < 186 ? days % 31 : (days - 186) % 30);
  return { year: jy, month, day };
}

/**
 * An RFC 3339 instant from the backend as a Date. Core types carry their
 * time to the nanosecond; ECMAScript only promises to read milliseconds, so
 * the digits beyond are dropped first.
 */
export function instant(iso: string): Date {
  return new Date(iso.replace(/(\.\d{3})\d+/, "$1"));
}

type TehranParts = { year: number; month: number; day: number; hour: number; minute: number };

/** The wall-clock date and time in Tehran of an instant. */
export function tehranParts(iso: string): TehranParts {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone: "Asia/Tehran",
    year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23",
  });
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(instant(iso))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: parts.hour ?? 0, minute: parts.minute ?? 0 };
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The day of an instant in Tehran: Jalali in Persian (۱۴۰۵/۰۸/۳۰), ISO in English. */
export function formatDay(iso: string, lang: Lang): string {
  const t = tehranParts(iso);
  if (lang === "fa") {
    const j = toJalali(t.year, t.month, t.day);
    return digits(`${j.year}/${pad2(j.month)}/${pad2(j.day)}`, lang);
  }
  return `${t.year}-${pad2(t.month)}-${pad2(t.day)}`;
}

/** Tehran time of day, HH:MM. */
export function formatTime(iso: string, lang: Lang): string {
  const t = tehranParts(iso);
  return digits(`${pad2(t.hour)}:${pad2(t.minute)}`, lang);
}

export function formatDateTime(iso: string, lang: Lang): string {
  return `${formatDay(iso, lang)} ${formatTime(iso, lang)}`;
}

/** How long ago, in words: "همین الان", "۵ دقیقه پیش", "just now", "5 min ago". */
export function relativeTime(iso: string, now: Date, lang: Lang): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - instant(iso).getTime()) / 1000));
  const fa = lang === "fa";
  if (seconds < 45) return fa ? "همین الان" : "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return fa ? `${digits(String(minutes), lang)} دقیقه پیش` : `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return fa ? `${digits(String(hours), lang)} ساعت پیش` : `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return fa ? `${digits(String(days), lang)} روز پیش` : `${days} d ago`;
}

// ---- typing -------------------------------------------------------------

/** What a field shows as it is typed into, and where the caret goes. */
export type Typed = { value: string; caret: number };

// Grouping marks a person or a paste may bring (the field puts its own back),
// and the bidi marks that come along with pasted text.
const GROUP_MARK = /^[,٬،\s'_\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]$/;
/** The marks the field itself puts between groups. */
const GROUP_SHOWN = /^[,٬]$/;

function marks(lang: Lang): { group: string; point: string } {
  return lang === "fa" ? { group: "٬", point: "٫" } : { group: ",", point: "." };
}

/**
 * An amount as it is being typed, regrouped by thousands in the language's
 * digits (۱۲٬۵۰۰٬۰۰۰ in Persian), from digits of any set with any or no
 * separators. The caret keeps its place among the digits: what was right of
 * it stays right of it. Text that is not a number being typed (a letter, a
 * sign, two decimal points) is left as it is, so the refusal can quote it.
 */
export function groupWhileTyping(value: string, caret: number, lang: Lang): Typed {
  let int = "";
  let frac: string | null = null;
  let right = 0; // digits and the point right of the caret
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    const d = foldDigits(ch);
    if (/^[0-9]$/.test(d)) {
      if (frac === null) int += d;
      else frac += d;
    } else if (ch === "." || ch === "٫") {
      if (frac !== null) return { value, caret };
      frac = "";
    } else if (GROUP_MARK.test(ch)) {
      continue;
    } else {
      return { value, caret };
    }
    if (i >= caret) right++;
  }
  int = int.replace(/^0+(?=\d)/, "");
  const m = marks(lang);
  let out = digits(group(int, m.group), lang);
  if (frac !== null) out += m.point + digits(frac, lang);
  let pos = out.length;
  for (let k = 0; k < right && pos > 0; ) {
    pos--;
    if (out.charAt(pos) !== m.group) k++;
  }
  return { value: out, caret: pos };
}

/**
 * Where to put the caret before Backspace or Delete in a grouped field, so
 * the key removes the digit beside a group separator rather than the
 * separator, which the field would only put back.
 */
export function caretPastSeparator(value: string, caret: number, key: string): number {
  if (key === "Backspace" && caret > 0 && GROUP_SHOWN.test(value.charAt(caret - 1))) return caret - 1;
  if (key === "Delete" && caret < value.length && GROUP_SHOWN.test(value.charAt(caret))) return caret + 1;
  return caret;
}

/**
 * Digits of any set in the language's digits (and the decimal point as ٫ in
 * Persian), for fields that show a number as typed: a mobile number, a
 * weight. One character for one, so the caret stays where it was.
 */
/**
 * An input event's field shown in the reader's digits as typed, the caret
 * kept; gives the new value. For `oninput` on number fields.
 */
export function digitsAsTyped(e: Event & { currentTarget: HTMLInputElement }, lang: Lang): string {
  const input = e.currentTarget;
  const shown = typedDigits(input.value, lang);
  if (shown !== input.value) {
    const at = input.selectionStart;
    input.value = shown;
    if (at !== null) input.setSelectionRange(at, at);
  }
  return shown;
}

export function typedDigits(value: string, lang: Lang): string {
  const m = marks(lang);
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    const d = foldDigits(ch);
    if (/^[0-9]$/.test(d)) out += digits(d, lang);
    else if (ch === "." || ch === "٫") out += m.point;
    else out += ch;
  }
  return out;
}

/** A piece of text, and whether it is a code (a tag, a barcode) to keep whole and in its own direction. */
export type Run = { text: string; code: boolean };

// Latin letters and ASCII digits, possibly joined by - _ . / (R-102, RING-12, 6260001234567).
const CODE = /[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)*/g;

/**
 * Splits a message into plain text and codes, so the codes can be isolated
 * (<bdi>) and kept on one line inside Persian text. A code has an ASCII digit
 * or a joiner; a Latin word alone reads fine as it is.
 */
export function codeRuns(text: string): Run[] {
  const out: Run[] = [];
  let last = 0;
  for (const m of text.matchAll(CODE)) {
    const s = m[0];
    if (!/[0-9\-_./]/.test(s)) continue;
    const at = m.index;
    if (at > last) out.push({ text: text.slice(last, at), code: false });
    out.push({ text: s, code: true });
    last = at + s.length;
  }
  if (last < text.length) out.push({ text: text.slice(last), code: false });
  return out;
}
