import { describe, expect, it } from "vitest";
import { isBurst, isTextField, KeyBurst, MIN_SCAN_LENGTH, SCAN_GAP_MS } from "./scanner";

/** Feeds `text` then Enter, one key every `gap` ms from `start`; returns the entry. */
function type(b: KeyBurst, text: string, gap: number, start = 1000) {
  let t = start;
  for (const ch of text) {
    expect(b.feed(ch, t)).toBeNull();
    t += gap;
  }
  return b.feed("Enter", t);
}

/** Feeds each key at its time (ms), not looking at what each one returns. */
function press(b: KeyBurst, keys: [key: string, at: number][]) {
  for (const [key, at] of keys) b.feed(key, at);
}

describe("isBurst", () => {
  it("accepts keys closer than the gap, with enough characters", () => {
    expect(isBurst([0, 10, 20, 30])).toBe(true);
    expect(isBurst([0, 34, 68, 102])).toBe(true);
  });
  it("refuses a single slow gap anywhere, including before Enter", () => {
    expect(isBurst([0, 10, 20, 20 + SCAN_GAP_MS])).toBe(false);
    expect(isBurst([0, 10, 100, 110])).toBe(false);
  });
  it("refuses codes shorter than the minimum", () => {
    expect(MIN_SCAN_LENGTH).toBe(3);
    expect(isBurst([0, 5, 10])).toBe(false); // two characters and Enter
    expect(isBurst([0, 5, 10, 15])).toBe(true);
  });
  it("refuses time going backwards and honours custom limits", () => {
    expect(isBurst([10, 5, 12, 14])).toBe(false);
    expect(isBurst([0, 50, 100, 150], 60)).toBe(true);
    expect(isBurst([0, 5, 10, 15, 20], 35, 5)).toBe(false);
  });
});

describe("KeyBurst in the scan field", () => {
  it("calls a fast burst ending in Enter a scan", () => {
    const b = new KeyBurst();
    expect(type(b, "R-1001", 8)).toEqual({ code: "R-1001", source: "scanner" });
  });
  it("calls human-speed keys typed", () => {
    const b = new KeyBurst();
    expect(type(b, "R-1001", 120)).toEqual({ code: "R-1001", source: "typed" });
  });
  it("keeps Persian digits as they came (folding is the form's job)", () => {
    const b = new KeyBurst();
    expect(type(b, "۱۲۳۴", 5)).toEqual({ code: "۱۲۳۴", source: "scanner" });
  });
  it("ignores Shift, which scanners send for capitals", () => {
    const b = new KeyBurst();
    press(b, [["Shift", 0], ["R", 3], ["Shift", 6], ["1", 9], ["2", 12]]);
    expect(b.feed("Enter", 15)).toEqual({ code: "R12", source: "scanner" });
  });
  it("calls an edited entry typed even if fast", () => {
    const b = new KeyBurst();
    press(b, [["1", 0], ["2", 5], ["Backspace", 10], ["3", 15], ["4", 20]]);
    expect(b.feed("Enter", 25)?.source).toBe("typed");
  });
  it("returns nothing for Enter alone, and starts afresh after an entry", () => {
    const b = new KeyBurst();
    expect(b.feed("Enter", 0)).toBeNull();
    expect(type(b, "111", 5, 0)?.code).toBe("111");
    expect(b.text).toBe("");
    expect(type(b, "222", 200, 100)).toEqual({ code: "222", source: "typed" });
  });
  it("does not take Ctrl+key as text", () => {
    const b = new KeyBurst();
    b.feed("a", 0, true);
    expect(b.text).toBe("");
    expect(b.feed("Enter", 5, true)).toBeNull();
  });
});

describe("KeyBurst on the whole screen (restart after a pause)", () => {
  it("drops stray keys typed before a scan", () => {
    const b = new KeyBurst({ restartAfterPause: true });
    press(b, [["x", 0], ["y", 300]]);
    expect(type(b, "5550001", 6, 2000)).toEqual({ code: "5550001", source: "scanner" });
  });
  it("reports slow keys and Enter as typed, so the caller can leave them alone", () => {
    const b = new KeyBurst({ restartAfterPause: true });
    press(b, [["1", 0], ["2", 200], ["3", 400]]);
    // Only the last key survives the pauses.
    expect(b.feed("Enter", 600)).toEqual({ code: "3", source: "typed" });
  });
  it("forgets everything on a non-character key", () => {
    const b = new KeyBurst({ restartAfterPause: true });
    press(b, [["1", 0], ["2", 5], ["ArrowDown", 8]]);
    expect(b.feed("Enter", 10)).toBeNull();
  });
  it("knows when keys are still arriving at scanner speed", () => {
    const b = new KeyBurst({ restartAfterPause: true });
    expect(b.inBurst(0)).toBe(false);
    b.feed("1", 100);
    expect(b.inBurst(110)).toBe(true);
    expect(b.inBurst(100 + SCAN_GAP_MS)).toBe(false);
  });
});

describe("isTextField", () => {
  const el = (tagName: string, extra: Record<string, unknown> = {}) => ({ tagName, isContentEditable: false, ...extra }) as unknown as EventTarget;
  it("knows text boxes from other targets", () => {
    expect(isTextField(el("INPUT", { type: "text" }))).toBe(true);
    expect(isTextField(el("INPUT", { type: "search" }))).toBe(true);
    expect(isTextField(el("TEXTAREA"))).toBe(true);
    expect(isTextField(el("DIV", { isContentEditable: true }))).toBe(true);
    expect(isTextField(el("INPUT", { type: "checkbox" }))).toBe(false);
    expect(isTextField(el("BUTTON"))).toBe(false);
    expect(isTextField(el("SELECT"))).toBe(false);
    expect(isTextField(null)).toBe(false);
  });
});
