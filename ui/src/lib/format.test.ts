import { describe, expect, it } from "vitest";
import {
  abs, digits, divideByTen, foldDigits, formatDateTime, formatDay, formatMoney, formatNumber, formatTime, formatWeight,
  isNegative, isZero, relativeTime, tehranParts, toJalali, toPersianDigits, groupWhileTyping, caretPastSeparator,
  typedDigits, codeRuns, instant,
} from "./format";
import type { DisplayUnit, Lang } from "./bindings";

describe("digits", () => {
  it.each([
    ["۰۱۲۳۴۵۶۷۸۹", "0123456789"],
    ["٠١٢٣٤٥٦٧٨٩", "0123456789"],
    ["۱۲٬۳۴۵٫۶", "12,345.6"],
    ["R-۱۰۰۱، ok", "R-1001, ok"],
  ])("folds Persian and Arabic-Indic digits and separators to ASCII: %s → %s", (typed, want) => {
    expect(foldDigits(typed)).toBe(want);
  });
  it("writes Persian digits for fa only", () => {
    expect(toPersianDigits("R-1029")).toBe("R-۱۰۲۹");
    expect(digits("2026", "fa")).toBe("۲۰۲۶");
    expect(digits("2026", "en")).toBe("2026");
  });
});

describe("formatNumber", () => {
  it.each<[string, Lang, string]>([
    // Thousands grouped with ٬, ٫ for the point and Persian digits in fa …
    ["1234567", "fa", "۱٬۲۳۴٬۵۶۷"],
    ["1234567.25", "fa", "۱٬۲۳۴٬۵۶۷٫۲۵"],
    ["999", "fa", "۹۹۹"],
    // … , and . in en.
    ["1234567.25", "en", "1,234,567.25"],
    ["1000000000000", "en", "1,000,000,000,000"],
    // Negatives with a true minus sign, and no negative zero.
    ["-1234", "fa", "\u2212۱٬۲۳۴"],
    ["-0.5", "en", "\u22120.5"],
    ["-0.00", "en", "0"],
    // Trailing zeros trimmed by default, leading zeros always.
    ["12.500", "en", "12.5"],
    ["00012", "en", "12"],
    // Persian-digit input is read.
    ["۱۲۳۴", "en", "1,234"],
  ])("writes %s in %s as %s", (value, lang, want) => {
    expect(formatNumber(value, lang)).toBe(want);
  });
  it("keeps trailing zeros when asked to", () => {
    expect(formatNumber("12.500", "en", { trimZeros: false })).toBe("12.500");
  });
  it("refuses junk", () => {
    expect(() => formatNumber("12a", "en")).toThrow();
  });
});

describe("money", () => {
  it.each([
    ["1234567", "123456.7"],
    ["1234560", "123456"],
    ["5", "0.5"],
    ["0", "0"],
    ["-15", "-1.5"],
    ["10.5", "1.05"],
  ])("divides %s by ten exactly: %s", (value, want) => {
    expect(divideByTen(value)).toBe(want);
  });
  it.each<[string, DisplayUnit, Lang, string]>([
    // Rials as they are, Tomans with an odd Rial kept.
    ["1234567", "rial", "fa", "۱٬۲۳۴٬۵۶۷"],
    ["1234567", "toman", "fa", "۱۲۳٬۴۵۶٫۷"],
    ["1234560", "toman", "en", "123,456"],
    ["1234567", "toman", "en", "123,456.7"],
    ["-500", "toman", "en", "\u221250"],
    // Amounts beyond float precision.
    ["12345678901234567", "rial", "en", "12,345,678,901,234,567"],
    ["12345678901234567", "toman", "en", "1,234,567,890,123,456.7"],
  ])("shows %s Rials in %s (%s) as %s", (rials, unit, lang, want) => {
    expect(formatMoney(rials, unit, lang)).toBe(want);
  });
});

describe("weights and signs", () => {
  it.each<[string, Lang, string]>([
    ["5.23", "fa", "۵٫۲۳۰"],
    ["5", "en", "5.000"],
    ["1234.5", "en", "1,234.500"],
    ["0.1234", "en", "0.1234"],
    ["-0.5", "en", "\u22120.500"],
  ])("shows %s grams in %s with at least three decimals: %s", (grams, lang, want) => {
    expect(formatWeight(grams, lang)).toBe(want);
  });
  it.each([
    ["-1", true],
    ["-0", false],
    ["3", false],
  ])("tells whether %s is negative: %s", (value, want) => {
    expect(isNegative(value)).toBe(want);
  });
  it.each([
    ["0.000", true],
    ["0.001", false],
  ])("tells whether %s is zero: %s", (value, want) => {
    expect(isZero(value)).toBe(want);
  });
  it.each([
    ["-12", "12"],
    ["12", "12"],
  ])("takes the absolute value of %s: %s", (value, want) => {
    expect(abs(value)).toBe(want);
  });
});

describe("Jalali dates", () => {
  it.each([
    [2026, 3, 21, { year: 1405, month: 1, day: 1 }], // Nowruz 1405
    [2025, 3, 20, { year: 1403, month: 12, day: 30 }], // 1403 is a leap year
    [2025, 3, 21, { year: 1404, month: 1, day: 1 }],
    [2026, 3, 20, { year: 1404, month: 12, day: 29 }],
    [2025, 11, 21, { year: 1404, month: 8, day: 30 }],
    [2025, 9, 22, { year: 1404, month: 6, day: 31 }],
    [2025, 9, 23, { year: 1404, month: 7, day: 1 }],
  ])("converts the known day %i-%i-%i", (year, month, day, want) => {
    expect(toJalali(year, month, day)).toEqual(want);
  });
  it("reads the wall clock in Tehran (UTC+3:30, no daylight saving since 2022)", () => {
    expect(tehranParts("2026-06-01T08:00:00Z")).toEqual({ year: 2026, month: 6, day: 1, hour: 11, minute: 30 });
    expect(tehranParts("2026-01-01T20:30:00Z")).toEqual({ year: 2026, month: 1, day: 2, hour: 0, minute: 0 });
  });
  it.each<[string, Lang, string]>([
    // 23:59 in Tehran on the last day of 1404 …
    ["2026-03-20T20:29:00Z", "fa", "۱۴۰۴/۱۲/۲۹"],
    // … and a minute later it is Nowruz there, while UTC is still on the 20th.
    ["2026-03-20T20:30:00Z", "fa", "۱۴۰۵/۰۱/۰۱"],
    ["2026-03-20T20:30:00Z", "en", "2026-03-21"],
    ["2026-03-20T20:29:00Z", "en", "2026-03-20"],
  ])("takes the day in Tehran, not in UTC, around midnight: %s in %s is %s", (iso, lang, want) => {
    expect(formatDay(iso, lang)).toBe(want);
  });
  it("formats time and date-time in the language's digits", () => {
    expect(formatTime("2026-03-20T20:30:00Z", "fa")).toBe("۰۰:۰۰");
    expect(formatTime("2025-11-21T06:05:00Z", "en")).toBe("09:35");
    expect(formatDateTime("2025-11-21T06:05:00Z", "fa")).toBe("۱۴۰۴/۰۸/۳۰ ۰۹:۳۵");
    expect(formatDateTime("2025-11-21T06:05:00Z", "en")).toBe("2025-11-21 09:35");
  });
});

describe("relativeTime", () => {
  const now = new Date("2026-01-10T12:00:00Z");
  const before = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
  it.each<[number, Lang, string]>([
    // Just now under 45 seconds, and for the future …
    [0, "fa", "همین الان"],
    [44, "en", "just now"],
    [-600, "en", "just now"],
    // … then minutes, hours and days.
    [45, "en", "1 min ago"],
    [5 * 60, "fa", "۵ دقیقه پیش"],
    [59 * 60, "en", "59 min ago"],
    [60 * 60, "en", "1 h ago"],
    [23 * 3600 + 59 * 60, "fa", "۲۳ ساعت پیش"],
    [24 * 3600, "en", "1 d ago"],
    [12 * 86400, "fa", "۱۲ روز پیش"],
  ])("says %i seconds ago in %s as %s", (seconds, lang, want) => {
    expect(relativeTime(before(seconds), now, lang)).toBe(want);
  });
});

/** Types `text` at the end of `start`, one key at a time, as the field does. */
function typeInto(start: string, text: string, lang: "fa" | "en"): { value: string; caret: number } {
  let state = { value: start, caret: start.length };
  for (const ch of text) {
    const v = state.value.slice(0, state.caret) + ch + state.value.slice(state.caret);
    state = groupWhileTyping(v, state.caret + ch.length, lang);
  }
  return state;
}

describe("grouping while typing", () => {
  it("groups Persian digits with ٬ as each is typed", () => {
    expect(typeInto("", "۱۲۵۰۰۰۰۰۰", "fa")).toEqual({ value: "۱۲۵٬۰۰۰٬۰۰۰", caret: 11 });
    expect(typeInto("", "۱۲۳۴", "fa").value).toBe("۱٬۲۳۴");
  });
  it("takes ASCII and Arabic-Indic digits and shows the language's", () => {
    expect(typeInto("", "125000000", "fa").value).toBe("۱۲۵٬۰۰۰٬۰۰۰");
    expect(typeInto("", "١٢٥٠٠٠", "fa").value).toBe("۱۲۵٬۰۰۰");
    expect(typeInto("", "۱۲۵۰۰۰", "en").value).toBe("125,000");
    expect(typeInto("", "1250000", "en")).toEqual({ value: "1,250,000", caret: 9 });
  });
  it("regroups whatever separators were typed or pasted", () => {
    expect(groupWhileTyping("12,500,000", 10, "fa")).toEqual({ value: "۱۲٬۵۰۰٬۰۰۰", caret: 10 });
    expect(groupWhileTyping("1 250 000", 9, "en").value).toBe("1,250,000");
    expect(groupWhileTyping("\u200f۱۲۵۰۰", 6, "fa").value).toBe("۱۲٬۵۰۰");
  });
  it("keeps a decimal for Toman, ungrouped after the point", () => {
    expect(typeInto("", "12500.5", "fa").value).toBe("۱۲٬۵۰۰٫۵");
    expect(typeInto("", "۱۲۵۰۰٫۵", "en").value).toBe("12,500.5");
    expect(typeInto("", "1234.5678", "en").value).toBe("1,234.5678");
  });
  it("keeps the caret among the same digits when typing in the middle", () => {
    // ۱٬۲|۳۴ + ۹ → ۱۲٬۹|۳۴
    const r = groupWhileTyping("۱٬۲۹۳۴", 4, "fa");
    expect(r).toEqual({ value: "۱۲٬۹۳۴", caret: 4 });
    // deleting the first digit: |٬۲۳۴ → |۲۳۴
    expect(groupWhileTyping("٬۲۳۴", 0, "fa")).toEqual({ value: "۲۳۴", caret: 0 });
    // ۱۲۳٬|۴۵۶ with ۳ deleted: ۱۲٬|۴۵۶, the caret still before ۴
    expect(groupWhileTyping("۱۲٬۴۵۶", 3, "fa")).toEqual({ value: "۱۲٬۴۵۶", caret: 3 });
    // 1,234,|5678: four digits right of the caret stay right of it
    expect(groupWhileTyping("1,234,5678", 6, "en")).toEqual({ value: "12,345,678", caret: 5 });
  });
  it("drops leading zeros but keeps a lone zero", () => {
    expect(typeInto("", "05", "fa")).toEqual({ value: "۵", caret: 1 });
    expect(typeInto("", "0", "fa").value).toBe("۰");
    expect(typeInto("", "0.5", "en").value).toBe("0.5");
  });
  it("leaves what is not a number being typed as it is, for the refusal to quote", () => {
    expect(groupWhileTyping("12a", 3, "fa")).toEqual({ value: "12a", caret: 3 });
    expect(groupWhileTyping("-5", 2, "fa")).toEqual({ value: "-5", caret: 2 });
    expect(groupWhileTyping("1.2.3", 5, "en")).toEqual({ value: "1.2.3", caret: 5 });
    expect(groupWhileTyping("", 0, "fa")).toEqual({ value: "", caret: 0 });
  });
  it.each([
    ["۱٬۲۳۴", 2, "Backspace", 1],
    ["۱٬۲۳۴", 1, "Delete", 2],
    ["1,234", 2, "Backspace", 1],
    ["۱٬۲۳۴", 3, "Backspace", 3],
    ["۱٬۲۳۴", 0, "Backspace", 0],
    ["۱٬۲۳۴", 5, "Delete", 5],
    ["۱٬۲۳۴", 2, "x", 2],
  ] as const)("moves Backspace and Delete past a group separator onto the digit: %s at %i, %s → %i", (value, caret, key, want) => {
    expect(caretPastSeparator(value, caret, key)).toBe(want);
  });
});

describe("digits as typed", () => {
  it.each<[string, Lang, string]>([
    // Persian digits and ٫ in fa, one character for one …
    ["09121234567", "fa", "۰۹۱۲۱۲۳۴۵۶۷"],
    ["٠٩١٢", "fa", "۰۹۱۲"],
    ["5.230", "fa", "۵٫۲۳۰"],
    ["+98 912", "fa", "+۹۸ ۹۱۲"],
    ["750", "fa", "۷۵۰"],
    // … ASCII in en.
    ["۰۹۱۲", "en", "0912"],
    ["۵٫۲۳۰", "en", "5.230"],
  ])("shows %s in %s as %s", (typed, lang, want) => {
    expect(typedDigits(typed, lang)).toBe(want);
  });
});

describe("codes in text", () => {
  it("finds tags and barcodes to isolate", () => {
    expect(codeRuns("کالای «R-1001» موجود نیست.")).toEqual([
      { text: "کالای «", code: false },
      { text: "R-1001", code: true },
      { text: "» موجود نیست.", code: false },
    ]);
    expect(codeRuns("اسکن شد: RING-12")).toEqual([
      { text: "اسکن شد: ", code: false },
      { text: "RING-12", code: true },
    ]);
    expect(codeRuns("6260001234567")).toEqual([{ text: "6260001234567", code: true }]);
  });
  it("leaves plain words and Persian text whole", () => {
    expect(codeRuns("Item not found")).toEqual([{ text: "Item not found", code: false }]);
    expect(codeRuns("مبلغ ۱۲٬۵۰۰ ریال")).toEqual([{ text: "مبلغ ۱۲٬۵۰۰ ریال", code: false }]);
    expect(codeRuns("")).toEqual([]);
  });
});

describe("instants", () => {
  it("reads the backend's nanoseconds as milliseconds", () => {
    expect(instant("2026-12-01T03:55:00.123456789Z").toISOString()).toBe("2026-12-01T03:55:00.123Z");
    expect(instant("2026-12-01T03:55:00Z").toISOString()).toBe("2026-12-01T03:55:00.000Z");
  });
});
