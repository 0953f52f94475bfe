// Tells a barcode scanner from a person. A scanner is a keyboard that types
// a whole code in a few milliseconds per key and ends it with Enter; a person
// is ten times slower. Pure: the caller feeds keys with their timestamps
// (KeyboardEvent.key and .timeStamp), so tests use synthetic times.

/** Longest pause between two keys of one scanner burst. Scanners send a key every 1–20 ms; fast typists about every 80 ms. */
export const SCAN_GAP_MS = 35;
/** Shortest code a burst can be: two fast keys are a person's chord, not a scan. */
export const MIN_SCAN_LENGTH = 3;

export type Source = "scanner" | "typed";
export type Entry = { code: string; source: Source };

// Keys that scanners send around characters (Shift for capitals) and that
// do not change what was typed.
const NEUTRAL = new Set(["Shift", "CapsLock", "NumLock", "Unidentified", "Dead"]);

/** True when the key times (characters, then Enter) are one scanner burst. */
export function isBurst(times: readonly number[], maxGap = SCAN_GAP_MS, minLength = MIN_SCAN_LENGTH): boolean {
  // times holds the characters and the final Enter.
  if (times.length - 1 < minLength) return false;
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
    if (gap < 0 || gap >= maxGap) return false;
  }
  return true;
}

export type Options = {
  maxGap?: number;
  minLength?: number;
  /**
   * Forget what came before a long pause. For the listener on the whole
   * screen: stray keys a person pressed earlier must not prefix the next
   * scan. The scan field keeps everything, since its text is what counts.
   */
  restartAfterPause?: boolean;
};

/** Collects keys until Enter and says whether they came from a scanner. */
export class KeyBurst {
  private chars: string[] = [];
  private times: number[] = [];
  /** A person edited (Backspace, arrows, paste…): whatever the timing, it was typed. */
  private edited = false;
  private readonly maxGap: number;
  private readonly minLength: number;
  private readonly restart: boolean;

  constructor(opts: Options = {}) {
    this.maxGap = opts.maxGap ?? SCAN_GAP_MS;
    this.minLength = opts.minLength ?? MIN_SCAN_LENGTH;
    this.restart = opts.restartAfterPause ?? false;
  }

  reset(): void {
    this.chars = [];
    this.times = [];
    this.edited = false;
  }

  /** The characters collected so far. */
  get text(): string {
    return this.chars.join("");
  }

  /** True while keys keep coming at scanner speed (the last one was less than maxGap ago). */
  inBurst(time: number): boolean {
    const last = this.times[this.times.length - 1];
    return last !== undefined && time - last >= 0 && time - last < this.maxGap;
  }

  /**
   * Feeds one keydown. Returns the entry when the key is Enter and
   * something was collected (then starts afresh), otherwise null.
   * Keys with Ctrl, Alt or Meta are shortcuts, not text: pass modified=true.
   */
  feed(key: string, time: number, modified = false): Entry | null {
    if (NEUTRAL.has(key)) return null;
    if (key === "Enter" && !modified) {
      if (this.chars.length === 0) return null;
      const source: Source = !this.edited && isBurst([...this.times, time], this.maxGap, this.minLength) ? "scanner" : "typed";
      const entry = { code: this.text, source };
      this.reset();
      return entry;
    }
    if ([...key].length === 1) {
      if (modified) {
        this.edited = true;
        return null;
      }
      if (this.restart && !this.inBurst(time)) this.reset();
      this.chars.push(key);
      this.times.push(time);
      return null;
    }
    // Backspace, arrows, Tab, function keys: a person at work.
    if (this.restart) this.reset();
    else this.edited = true;
    return null;
  }
}

/** True when keys go into a text box, where the box itself collects them. */
export function isTextField(target: EventTarget | null): boolean {
  if (!target || typeof (target as { tagName?: unknown }).tagName !== "string") return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === "textarea") return true;
  if (tag !== "input") return false;
  const type = ((el as HTMLInputElement).type || "text").toLowerCase();
  return !["button", "submit", "reset", "checkbox", "radio", "range", "color", "file", "image"].includes(type);
}
