import { describe, expect, it } from "vitest";
import { hasPersianLetters, latinFromPersianLayout, PERSIAN_KEYS } from "./layout";

// What each keyboard row types on ISIRI 9147, written out by hand (not
// derived from PERSIAN_KEYS), next to the US-QWERTY row of the same keys.
const ROWS: readonly { us: string; plain: string; shift: string; usShift: string }[] = [
  { us: "`1234567890-=", plain: "\u200d۱۲۳۴۵۶۷۸۹۰-=", shift: "÷!٬٫﷼٪×،*)(ـ+", usShift: "~!@#$%^&*()_+" },
  { us: "QWERTYUIOP[]\\", plain: "ضصثقفغعهخحجچ\\", shift: "\u0652\u064c\u064d\u064b\u064f\u0650\u064e\u0651][}{|", usShift: "QWERTYUIOP{}|" },
  { us: "ASDFGHJKL;'", plain: "شسیبلاتنمکگ", shift: "ؤئيإأآة»«:؛", usShift: "ASDFGHJKL:\"" },
  { us: "ZXCVBNM,./", plain: "ظطزرذدپو./", shift: "ك\u0653ژ\u0670\u200c\u0654ء><؟", usShift: "ZXCVBNM<>?" },
];

describe("latinFromPersianLayout", () => {
  it.each([
    // A tag typed on the Persian layout reads back as the keys pressed.
    ["قهدل-۱۲", "RING-12"],
    ["قهدل-12", "RING-12"],
    ["سلام", "SGHL"],
    // The Shift level too, as scanners press Shift for capitals:
    // R I N G with Shift are fathatan, shadda, hamza above, alef with hamza;
    ["\u064b\u0651\u0654أ-۱۲", "RING-12"],
    // O and K with Shift are «]» and «»»: the ASCII bracket is read back too;
    ["]»-۷", "OK-7"],
    // B with Shift is ZWNJ, which must not vanish.
    ["\u200cار", "BHV"],
    // What the Persian layout does not type is left, in a mixed string.
    ["R-قه ۱x", "R-RI 1x"],
    ["é€٣ق🙂", "é€٣R🙂"], // Arabic-Indic ٣ is not on the Persian layout
    ["", ""],
    // The brackets the Persian layout mirrors are swapped, once the text is Persian.
    ["ق)۱(", "R(1)"],
    ["ق>۱<", "R<1>"],
    ["ق}{", "R{}"],
  ])("reads %j back as %j", (typed, want) => {
    expect(latinFromPersianLayout(typed)).toBe(want);
  });

  it("returns ASCII unchanged, brackets included", () => {
    for (const s of ["RING-12", "r-1001", "A[1](2){3}<4>", "5550001", "a b/c.d=e\\f|g*h!"]) {
      expect(latinFromPersianLayout(s)).toBe(s);
    }
  });

  it("gives every key of the keyboard back, plain and with Shift (hand-written rows)", () => {
    for (const row of ROWS) {
      expect([...row.plain].length).toBe(row.us.length);
      expect([...row.shift].length).toBe(row.us.length);
      // Prefix a Persian letter so the ASCII characters of the row count as Persian-layout text.
      expect(latinFromPersianLayout("ش" + row.plain)).toBe("A" + row.us);
      expect(latinFromPersianLayout("ش" + row.shift)).toBe("A" + row.usShift);
    }
  });

  it("round-trips every A–Z key from the table, one character at a time", () => {
    const letters = PERSIAN_KEYS.filter((k) => /^Key[A-Z]$/.test(k.code));
    expect(letters.map((k) => k.us[1]).sort().join("")).toBe("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    for (const k of letters) {
      const upper = k.code.slice(3);
      expect(k.us).toEqual([upper.toLowerCase(), upper]);
      expect(latinFromPersianLayout(k.fa[0]), `${k.code} plain`).toBe(upper);
      // Alone, Shift+O «]» and Shift+P «[» are ASCII: nothing says they came from the Persian layout.
      const shifted = /[[\]]/.test(k.fa[1]) ? "ل" + k.fa[1] : k.fa[1];
      expect(latinFromPersianLayout(shifted), `${k.code} shift`).toBe(shifted === k.fa[1] ? upper : "G" + upper);
    }
  });

  it("has a table that is a keyboard: unique keys, no Persian character on two keys", () => {
    expect(PERSIAN_KEYS).toHaveLength(47);
    expect(new Set(PERSIAN_KEYS.map((k) => k.code)).size).toBe(47);
    const fa = PERSIAN_KEYS.flatMap((k) => k.fa);
    expect(new Set(fa).size).toBe(fa.length);
    const us = PERSIAN_KEYS.flatMap((k) => k.us);
    expect(new Set(us).size).toBe(us.length);
  });

  it("turns every Persian-layout character into ASCII", () => {
    for (const k of PERSIAN_KEYS) {
      for (const c of k.fa) expect(latinFromPersianLayout("ش" + c), k.code).toMatch(/^[\x21-\x7e]+$/);
    }
  });
});

describe("hasPersianLetters", () => {
  it.each([
    // Persian letters, alone or among others, count …
    ["قهدل-۱۲", true],
    ["R-ق1", true],
    ["گ", true],
    ["ي", true], // Arabic yeh, Shift+D
    // … digits, marks, punctuation and Latin do not.
    ["RING-12", false],
    ["۱۲۳۴", false],
    ["\u064b\u0651", false],
    ["،؛؟«»\u200c", false],
    ["", false],
  ])("%j has Persian letters: %s", (text, want) => {
    expect(hasPersianLetters(text)).toBe(want);
  });
});
