// How a state is shown: its tone, and the message id a value is named by.
import type { SyncState } from "./bindings";

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
