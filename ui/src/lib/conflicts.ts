// Conflicts: what may be done, and the owner's resolution as the backend takes it.
import type { ConflictView, DueChangeInput, PaymentDraft, PaymentMethod, ReplacePiece, Resolution, ResolveInput } from "./bindings";
import { foldDigits } from "./format";

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
