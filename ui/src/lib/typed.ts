// Numbers as the owner types them in settings and forms.
import { foldDigits } from "./format";

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
