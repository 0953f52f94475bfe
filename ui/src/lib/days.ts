// Tehran days: today, the day before or after, a day's first instant, a price's age.
import type { GoldPrice } from "./bindings";
import { instant, tehranParts } from "./format";

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Today's date in Tehran as YYYY-MM-DD (what sales_day expects). */
export function todayTehran(now: Date): string {
  const p = tehranParts(now.toISOString());
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

/** A YYYY-MM-DD day moved by `delta` days (calendar arithmetic, no time zone involved). */
export function shiftDay(day: string, delta: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d + delta));
  return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
}

/** Noon in Tehran on a YYYY-MM-DD day, as an instant that format.ts's day() can show (in Jalali). */
export function dayInstant(day: string): string {
  return `${day}T12:00:00+03:30`;
}

/** Whole hours between an instant and now (never negative). */
export function ageHours(iso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - instant(iso).getTime()) / 3_600_000));
}

/** Prices, newest first (the table reads top-down from today). */
export function newestFirst(history: readonly GoldPrice[]): GoldPrice[] {
  return [...history].sort((a, b) => instant(b.set_at).getTime() - instant(a.set_at).getTime());
}
