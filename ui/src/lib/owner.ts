// Pure helpers for the owner's screens (inventory, gold price, sales, settings,
// conflicts). No Svelte, no IPC, no Fluent here, so Vitest can check them alone.
import type {
  ConflictView, DueChangeInput, GoldPriceView, PaymentDraft, PaymentMethod, ReplacePiece, Resolution, ResolveInput,
  SyncState,
} from "./bindings";
import { foldDigits, tehranParts } from "./format";

// ---- PIN ---------------------------------------------------------------

export const PIN_MIN = 4;
/** Owner screens lock after this long with no key or click (the backend's own limit is 3 minutes). */
export const IDLE_LOCK_MS = 3 * 60 * 1000;
export const PIN_MAX = 8;

/** A PIN as typed (Persian, Arabic or ASCII digits, stray spaces) to ASCII digits. */
export function normalizePin(raw: string): string {
  return foldDigits(raw).replace(/\s+/g, "");
}

/** Message id of what is wrong with a new PIN (and its confirmation), or null when it is fine. */
export function pinProblem(pin: string, confirm?: string): string | null {
  const p = normalizePin(pin);
  if (!new RegExp(`^\\d{${PIN_MIN},${PIN_MAX}}$`).test(p)) return "error-owner-pin-weak";
  if (confirm !== undefined && normalizePin(confirm) !== p) return "pin-mismatch";
  return null;
}

/** Message id when the owner's name is missing, else null. */
export function ownerNameProblem(name: string): string | null {
  return name.trim() === "" ? "error-owner-name-required" : null;
}

// ---- numbers as typed ----------------------------------------------------

// Spaces people type or paste between digit groups: normal, no-break, narrow
// no-break, thin, and the zero-width non-joiner Persian keyboards insert.
const SPACES = /[\s\u00a0\u202f\u2009\u200c]/g;

/**
 * A decimal as typed ("۴۵٬۰۰۰٬۰۰۰", "45,000,000", "12٫5") to a plain ASCII
 * decimal string ("45000000", "12.5"), or null when it is not a number.
 * Group separators are dropped; the decimal point is "." or "٫".
 */
export function normalizeDecimal(raw: string, opts: { allowZero?: boolean } = {}): string | null {
  const s = foldDigits(raw).replace(SPACES, "").replace(/[,'_]/g, "");
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const int = (m[1] ?? "").replace(/^0+(?=\d)/, "");
  const frac = (m[2] ?? "").replace(/0+$/, "");
  const out = frac ? `${int}.${frac}` : int;
  if (!opts.allowZero && /^[0.]+$/.test(out)) return null;
  return out;
}

/** A money amount as typed, > 0; null when it is not one. */
export const normalizeAmount = (raw: string): string | null => normalizeDecimal(raw);

/** A whole number of hours as typed, ≥ 1; null otherwise. */
export function normalizeHours(raw: string): string | null {
  const v = normalizeDecimal(raw);
  return v !== null && /^\d+$/.test(v) ? v : null;
}

// ---- days ----------------------------------------------------------------

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
  return Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / 3_600_000));
}

/** Prices, newest first (the table reads top-down from today). */
export function newestFirst(history: readonly GoldPriceView[]): GoldPriceView[] {
  return [...history].sort((a, b) => Date.parse(b.set_at) - Date.parse(a.set_at));
}

// ---- lists and keys ------------------------------------------------------

/** The row index after an arrow key: clamped, and -1 (nothing) stays -1 until a move. */
export function moveIndex(current: number, delta: number, length: number): number {
  if (length === 0) return -1;
  if (current < 0) return delta > 0 ? 0 : length - 1;
  return Math.min(length - 1, Math.max(0, current + delta));
}

/**
 * The tab a key leads to in a horizontal tab list, or null for other keys.
 * In right-to-left text the "next" tab is to the left.
 */
export function tabForKey<T>(tabs: readonly T[], current: T, key: string, rtl: boolean): T | null {
  const i = Math.max(0, tabs.indexOf(current));
  const forward = rtl ? "ArrowLeft" : "ArrowRight";
  const back = rtl ? "ArrowRight" : "ArrowLeft";
  let j: number;
  if (key === forward) j = (i + 1) % tabs.length;
  else if (key === back) j = (i - 1 + tabs.length) % tabs.length;
  else if (key === "Home") j = 0;
  else if (key === "End") j = tabs.length - 1;
  else return null;
  return tabs[j] ?? null;
}

// ---- display -------------------------------------------------------------

export type Tone = "ok" | "warn" | "bad" | "muted";

/** How a sale's sync state is coloured: synced is fine, waiting is a warning, refused needs the owner. */
export function syncTone(state: SyncState): Tone {
  switch (state) {
    case "acked":
      return "ok";
    case "pending":
      return "warn";
    case "conflict":
    case "rejected":
      return "bad";
    case "voided":
      return "muted";
  }
}

/**
 * The first id that has a message, for strings from the backend that may be a
 * message id or a bare code ("reason_required" → error-reason-required).
 */
export function messageIdFor(value: string, has: (id: string) => boolean): string | null {
  const v = value.trim();
  if (!v) return null;
  const candidates = [v, `error-${v.replace(/_/g, "-")}`];
  return candidates.find((id) => has(id)) ?? null;
}

// ---- errors --------------------------------------------------------------

/** True when a command was refused because the owner is not (or no longer) unlocked. */
export function isOwnerLocked(e: unknown): boolean {
  return typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "owner_locked";
}

// ---- conflicts -----------------------------------------------------------

/** The owner can act on a conflict only while it is open and no decision is on its way. */
export function canResolve(c: Pick<ConflictView, "open" | "pending">): boolean {
  return c.open && !c.pending;
}

/** The options shown for a conflict: resubmitting is only for the till that made the sale. */
export function shownOptions(c: Pick<ConflictView, "options" | "mine" | "sale">): Resolution[] {
  return c.options.filter((o) => o !== "resubmit" || (c.mine && c.sale !== null));
}

/** Tag replacements as typed: only filled-in, changed ones; digits folded like a scanner's. */
export function replacements(tags: readonly string[], typed: Record<string, string>): ReplacePiece[] {
  const out: ReplacePiece[] = [];
  for (const old of tags) {
    const next = foldDigits(typed[old] ?? "").trim();
    if (next !== "" && next !== old) out.push({ old, new: next });
  }
  return out;
}

/** New payments as typed: rows without an amount are dropped; none at all means "keep the sale's". */
export function paymentDrafts(rows: readonly PaymentDraft[]): PaymentDraft[] | null {
  const kept = rows
    .map((r) => ({ method: r.method, amount: r.amount.trim() }))
    .filter((r) => r.amount !== "");
  return kept.length ? kept : null;
}

/** The command's input for a decision; the reason is trimmed, an empty one is no reason. */
export function resolveInput(
  opId: string,
  resolution: Resolution,
  opts: {
    reason?: string;
    replace?: ReplacePiece[];
    payments?: PaymentDraft[] | null;
    dueChange?: DueChangeInput | null;
  } = {},
): ResolveInput {
  const reason = (opts.reason ?? "").trim();
  return {
    op_id: opId,
    resolution,
    reason: reason === "" ? null : reason,
    replace: resolution === "resubmit" ? (opts.replace ?? []) : [],
    payments: resolution === "resubmit" ? (opts.payments ?? null) : null,
    due_change: resolution === "resubmit" ? (opts.dueChange ?? null) : null,
  };
}

/**
 * How a resubmit that changes what is due is settled: the whole difference
 * in one method (collected when it rose, paid back when it fell); none when
 * nothing changed.
 */
export function dueChange(difference: string, method: PaymentMethod): DueChangeInput | null {
  return /^-?0*$/.test(difference.trim()) ? null : { amount: difference.trim(), method };
}
