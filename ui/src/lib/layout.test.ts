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
  it("reads a tag typed on the Persian layout back as the keys pressed", () => {
    expect(latinFromPersianLayout("قهدل-۱۲")).toBe("RING-12");
    expect(latinFromPersianLayout("قهدل-12")).toBe("RING-12");
    expect(latinFromPersianLayout("سلام")).toBe("SGHL");
  });

  it("reads the Shift level too, as scanners press Shift for capitals", () => {
    // R I N G with Shift: fathatan, shadda, hamza above, alef with hamza.
    expect(latinFromPersianLayout("\u064b\u0651\u0654أ-۱۲")).toBe("RING-12");
    // O and K with Shift are «]» and «»»: the ASCII bracket is read back too.
    expect(latinFromPersianLayout("]»-۷")).toBe("OK-7");
    // B with Shift is ZWNJ, which must not vanish.
    expect(latinFromPersianLayout("\u200cار")).toBe("BHV");
  });

  it("leaves what the Persian layout does not type, in a mixed string", () => {
    expect(latinFromPersianLayout("R-قه ۱x")).toBe("R-RI 1x");
    expect(latinFromPersianLayout("é€٣ق🙂")).toBe("é€٣R🙂"); // Arabic-Indic ٣ is not on the Persian layout
    expect(latinFromPersianLayout("")).toBe("");
  });

  it("returns ASCII unchanged, brackets included", () => {
    for (const s of ["RING-12", "r-1001", "A[1](2){3}<4>", "5550001", "a b/c.d=e\\f|g*h!"]) {
      expect(latinFromPersianLayout(s)).toBe(s);
    }
  });

  it("swaps the brackets the Persian layout mirrors, once the text is Persian", () => {
    expect(latinFromPersianLayout("ق)۱(")).toBe("R(1)");
    expect(latinFromPersianLayout("ق>۱<")).toBe("R<1>");
    expect(latinFromPersianLayout("ق}{")).toBe("R{}");
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
  it("finds Persian letters, alone or among others", () => {
    expect(hasPersianLetters("قهدل-۱۲")).toBe(true);
    expect(hasPersianLetters("R-ق1")).toBe(true);
    expect(hasPersianLetters("گ")).toBe(true);
    expect(hasPersianLetters("ي")).toBe(true); // Arabic yeh, Shift+D
  });
  it("does not count digits, marks, punctuation or Latin", () => {
    expect(hasPersianLetters("RING-12")).toBe(false);
    expect(hasPersianLetters("۱۲۳۴")).toBe(false);
    expect(hasPersianLetters("\u064b\u0651")).toBe(false);
    expect(hasPersianLetters("،؛؟«»\u200c")).toBe(false);
    expect(hasPersianLetters("")).toBe(false);
  });
});
