// A barcode scanner is a keyboard: it presses the keys of a code, and the
// operating system turns them into characters with whatever layout is active.
// At an Iranian counter that is often Persian, so the tag RING-12 arrives as
// «قهدل-۱۲» (unshifted keys) or as vowel marks and «أ» (the same keys with
// Shift, which scanners press for capitals). Tags here are ASCII, so the
// sale screen reads such a code back as the keys that typed it. Pure.
//
// The layout is the Iranian standard, ISIRI 9147: Linux's "Persian" (xkb
// ir(pes)), Windows' "Persian (Standard)" and macOS's "Persian-ISIRI 2901".
// Only the plain and Shift levels are read back: scanners do not press AltGr.

/** One physical key: its KeyboardEvent.code, what it types on US-QWERTY and on Persian, plain and with Shift. */
export type Key = { code: string; us: readonly [string, string]; fa: readonly [string, string] };

const key = (code: string, us: string, fa: string): Key => {
  const u = [...us];
  const f = [...fa];
  if (u.length !== 2 || f.length !== 2) throw new Error(`key ${code}: two characters per layout`);
  return { code, us: [u[0]!, u[1]!], fa: [f[0]!, f[1]!] };
};

/**
 * The 47 character keys of ISIRI 9147, in keyboard order. Marks and
 * invisible characters are escaped: \u0652 sukun, \u064c dammatan, \u064d
 * kasratan, \u064b fathatan, \u064f damma, \u0650 kasra, \u064e fatha,
 * \u0651 shadda, \u0653 madda, \u0670 superscript alef, \u0654 hamza above,
 * \u200c ZWNJ, \u200d ZWJ.
 */
export const PERSIAN_KEYS: readonly Key[] = [
  key("Backquote", "`~", "\u200d÷"),
  key("Digit1", "1!", "۱!"),
  key("Digit2", "2@", "۲٬"),
  key("Digit3", "3#", "۳٫"),
  key("Digit4", "4$", "۴﷼"),
  key("Digit5", "5%", "۵٪"),
  key("Digit6", "6^", "۶×"),
  key("Digit7", "7&", "۷،"),
  key("Digit8", "8*", "۸*"),
  key("Digit9", "9(", "۹)"),
  key("Digit0", "0)", "۰("),
  key("Minus", "-_", "-ـ"),
  key("Equal", "=+", "=+"),

  key("KeyQ", "qQ", "ض\u0652"),
  key("KeyW", "wW", "ص\u064c"),
  key("KeyE", "eE", "ث\u064d"),
  key("KeyR", "rR", "ق\u064b"),
  key("KeyT", "tT", "ف\u064f"),
  key("KeyY", "yY", "غ\u0650"),
  key("KeyU", "uU", "ع\u064e"),
  key("KeyI", "iI", "ه\u0651"),
  key("KeyO", "oO", "خ]"),
  key("KeyP", "pP", "ح["),
  key("BracketLeft", "[{", "ج}"),
  key("BracketRight", "]}", "چ{"),
  key("Backslash", "\\|", "\\|"),

  key("KeyA", "aA", "شؤ"),
  key("KeyS", "sS", "سئ"),
  key("KeyD", "dD", "یي"),
  key("KeyF", "fF", "بإ"),
  key("KeyG", "gG", "لأ"),
  key("KeyH", "hH", "اآ"),
  key("KeyJ", "jJ", "تة"),
  key("KeyK", "kK", "ن»"),
  key("KeyL", "lL", "م«"),
  key("Semicolon", ";:", "ک:"),
  key("Quote", "'\"", "گ؛"),

  key("KeyZ", "zZ", "ظك"),
  key("KeyX", "xX", "ط\u0653"),
  key("KeyC", "cC", "زژ"),
  key("KeyV", "vV", "ر\u0670"),
  key("KeyB", "bB", "ذ\u200c"),
  key("KeyN", "nN", "د\u0654"),
  key("KeyM", "mM", "پء"),
  key("Comma", ",<", "و>"),
  key("Period", ".>", ".<"),
  key("Slash", "/?", "/؟"),
];

const isLetterKey = (k: Key) => /^[a-z]$/.test(k.us[0]);

/**
 * The US character for each Persian one that differs from it. Letters come
 * back uppercase whether or not Shift was down: tags are printed in
 * capitals, and the Persian layout's Shift level says nothing about case.
 * ZWNJ is also Shift+Space on ISIRI 9147; a code has no spaces, so it is B.
 */
const TO_US: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const k of PERSIAN_KEYS) {
    const plain = isLetterKey(k) ? k.us[1] : k.us[0];
    if (k.fa[0] !== plain) m.set(k.fa[0], plain);
    if (k.fa[1] !== k.us[1]) m.set(k.fa[1], k.us[1]);
  }
  return m;
})();

const isAscii = (c: string) => c.charCodeAt(0) < 0x80;

/**
 * The US-QWERTY reading of text typed on the Persian layout: each character
 * becomes the character of the same physical key on US-QWERTY (letters in
 * capitals, Persian digits as ASCII digits). Characters the Persian layout
 * does not type (Latin letters, spaces, other scripts) stay as they are.
 *
 * The Persian layout also types a few ASCII characters on other keys than
 * US-QWERTY: Shift+O is «]», Shift+P «[», and () {} <> are swapped. Those are
 * read back only when the text shows it came from the Persian layout (it has
 * a non-ASCII character of that layout); ASCII text is returned unchanged.
 */
export function latinFromPersianLayout(s: string): string {
  const chars = [...s];
  const persian = chars.some((c) => !isAscii(c) && TO_US.has(c));
  if (!persian) return s;
  return chars.map((c) => TO_US.get(c) ?? c).join("");
}

/** True when the text has a Persian (Arabic-script) letter; digits, vowel marks and punctuation do not count. */
export function hasPersianLetters(s: string): boolean {
  return /(?=\p{L})\p{Script=Arabic}/u.test(s);
}
