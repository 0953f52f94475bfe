// The owner's PIN as typed, and the error that says the owner must unlock.
import { foldDigits } from "./format";

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
/** True when a command was refused because the owner is not (or no longer) unlocked. */
export function isOwnerLocked(e: unknown): boolean {
  return typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "owner_locked";
}

/** True when a sale was refused for a discount past the cashier's limit: a manager's PIN lets it past. */
export function needsManagerPin(e: unknown): boolean {
  return typeof e === "object" && e !== null && "code" in e && (e as { code: unknown }).code === "discount_over_limit";
}

/** True when a sale was refused for passing one of the shop's offline limits: the owner's PIN lets it past. */
export function needsOwnerPin(e: unknown): boolean {
  if (typeof e !== "object" || e === null || !("code" in e)) return false;
  const code = (e as { code: unknown }).code;
  return code === "offline_sale_limit" || code === "unsent_total_limit";
}
