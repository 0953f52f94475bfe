// Moving through lists and tabs by key.

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
