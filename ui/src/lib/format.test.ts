import { describe, expect, it } from "vitest";
import {
  abs, digits, divideByTen, foldDigits, formatDateTime, formatDay, formatMoney, formatNumber, formatTime, formatWeight,
  isNegative, isZero, relativeTime, tehranParts, toJalali, toPersianDigits, groupWhileTyping, caretPastSeparator,
  typedDigits, codeRuns, instant,
} from "./format";

describe("digits", () => {
  it("folds Persian and Arabic-Indic digits and separators to ASCII", () => {
    expect(foldDigits("۰۱۲۳۴۵۶۷۸۹")).toBe("0123456789");
    expect(foldDigits("٠١٢٣٤٥٦٧٨٩")).toBe("0123456789");
    expect(foldDigits("۱۲٬۳۴۵٫۶")).toBe("12,345.6");
    expect(foldDigits("R-۱۰۰۱، ok")).toBe("R-1001, ok");
  });
  it("writes Persian digits for fa only", () => {
    expect(toPersianDigits("R-1029")).toBe("R-۱۰۲۹");
    expect(digits("2026", "fa")).toBe("۲۰۲۶");
    expect(digits("2026", "en")).toBe("2026");
  });
});

describe("formatNumber", () => {
  it("groups thousands with ٬ and uses ٫ and Persian digits in fa", () => {
    expect(formatNumber("1234567", "fa")).toBe("۱٬۲۳۴٬۵۶۷");
    expect(formatNumber("1234567.25", "fa")).toBe("۱٬۲۳۴٬۵۶۷٫۲۵");
    expect(formatNumber("999", "fa")).toBe("۹۹۹");
  });
  it("groups with , and . in en", () => {
    expect(formatNumber("1234567.25", "en")).toBe("1,234,567.25");
    expect(formatNumber("1000000000000", "en")).toBe("1,000,000,000,000");
  });
  it("writes negatives with a true minus sign, and no negative zero", () => {
    expect(formatNumber("-1234", "fa")).toBe("\u2212۱٬۲۳۴");
    expect(formatNumber("-0.5", "en")).toBe("\u22120.5");
    expect(formatNumber("-0.00", "en")).toBe("0");
  });
  it("trims trailing zeros unless asked not to, and leading zeros always", () => {
    expect(formatNumber("12.500", "en")).toBe("12.5");
    expect(formatNumber("12.500", "en", { trimZeros: false })).toBe("12.500");
    expect(formatNumber("00012", "en")).toBe("12");
  });
  it("reads Persian-digit input and refuses junk", () => {
    expect(formatNumber("۱۲۳۴", "en")).toBe("1,234");
    expect(() => formatNumber("12a", "en")).toThrow();
  });
});

describe("money", () => {
  it("divides by ten exactly", () => {
    expect(divideByTen("1234567")).toBe("123456.7");
    expect(divideByTen("1234560")).toBe("123456");
    expect(divideByTen("5")).toBe("0.5");
    expect(divideByTen("0")).toBe("0");
    expect(divideByTen("-15")).toBe("-1.5");
    expect(divideByTen("10.5")).toBe("1.05");
  });
  it("shows Rials as they are and Tomans with an odd Rial kept", () => {
    expect(formatMoney("1234567", "rial", "fa")).toBe("۱٬۲۳۴٬۵۶۷");
    expect(formatMoney("1234567", "toman", "fa")).toBe("۱۲۳٬۴۵۶٫۷");
    expect(formatMoney("1234560", "toman", "en")).toBe("123,456");
    expect(formatMoney("1234567", "toman", "en")).toBe("123,456.7");
    expect(formatMoney("-500", "toman", "en")).toBe("\u221250");
  });
  it("handles amounts beyond float precision", () => {
    expect(formatMoney("12345678901234567", "rial", "en")).toBe("12,345,678,901,234,567");
    expect(formatMoney("12345678901234567", "toman", "en")).toBe("1,234,567,890,123,456.7");
  });
});

describe("weights and signs", () => {
  it("shows grams with at least three decimals", () => {
    expect(formatWeight("5.23", "fa")).toBe("۵٫۲۳۰");
    expect(formatWeight("5", "en")).toBe("5.000");
    expect(formatWeight("1234.5", "en")).toBe("1,234.500");
    expect(formatWeight("0.1234", "en")).toBe("0.1234");
    expect(formatWeight("-0.5", "en")).toBe("\u22120.500");
  });
  it("tells sign and zero of decimal strings", () => {
    expect(isNegative("-1")).toBe(true);
    expect(isNegative("-0")).toBe(false);
    expect(isNegative("3")).toBe(false);
    expect(isZero("0.000")).toBe(true);
    expect(isZero("0.001")).toBe(false);
    expect(abs("-12")).toBe("12");
    expect(abs("12")).toBe("12");
  });
});

describe("Jalali dates", () => {
  it("converts known days", () => {
    expect(toJalali(2026, 3, 21)).toEqual({ year: 1405, month: 1, day: 1 }); // Nowruz 1405
    expect(toJalali(2025, 3, 20)).toEqual({ year: 1403, month: 12, day: 30 }); // 1403 is a leap year
    expect(toJalali(2025, 3, 21)).toEqual({ year: 1404, month: 1, day: 1 });
    expect(toJalali(2026, 3, 20)).toEqual({ year: 1404, month: 12, day: 29 });
    expect(toJalali(2025, 11, 21)).toEqual({ year: 1404, month: 8, day: 30 });
    expect(toJalali(2025, 9, 22)).toEqual({ year: 1404, month: 6, day: 31 });
    expect(toJalali(2025, 9, 23)).toEqual({ year: 1404, month: 7, day: 1 });
  });
  it("reads the wall clock in Tehran (UTC+3:30, no daylight saving since 2022)", () => {
    expect(tehranParts("2026-06-01T08:00:00Z")).toEqual({ year: 2026, month: 6, day: 1, hour: 11, minute: 30 });
    expect(tehranParts("2026-01-01T20:30:00Z")).toEqual({ year: 2026, month: 1, day: 2, hour: 0, minute: 0 });
  });
  it("takes the day in Tehran, not in UTC, around midnight", () => {
    // 23:59 in Tehran on the last day of 1404 …
    expect(formatDay("2026-03-20T20:29:00Z", "fa")).toBe("۱۴۰۴/۱۲/۲۹");
    // … and a minute later it is Nowruz there, while UTC is still on the 20th.
    expect(formatDay("2026-03-20T20:30:00Z", "fa")).toBe("۱۴۰۵/۰۱/۰۱");
    expect(formatDay("2026-03-20T20:30:00Z", "en")).toBe("2026-03-21");
    expect(formatDay("2026-03-20T20:29:00Z", "en")).toBe("2026-03-20");
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
  it("says just now under 45 seconds, and for the future", () => {
    expect(relativeTime(before(0), now, "fa")).toBe("همین الان");
    expect(relativeTime(before(44), now, "en")).toBe("just now");
    expect(relativeTime(before(-600), now, "en")).toBe("just now");
  });
  it("counts minutes, then hours, then days", () => {
    expect(relativeTime(before(45), now, "en")).toBe("1 min ago");
    expect(relativeTime(before(5 * 60), now, "fa")).toBe("۵ دقیقه پیش");
    expect(relativeTime(before(59 * 60), now, "en")).toBe("59 min ago");
    expect(relativeTime(before(60 * 60), now, "en")).toBe("1 h ago");
    expect(relativeTime(before(23 * 3600 + 59 * 60), now, "fa")).toBe("۲۳ ساعت پیش");
    expect(relativeTime(before(24 * 3600), now, "en")).toBe("1 d ago");
    expect(relativeTime(before(12 * 86400), now, "fa")).toBe("۱۲ روز پیش");
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
  it("moves Backspace and Delete past a group separator onto the digit", () => {
    expect(caretPastSeparator("۱٬۲۳۴", 2, "Backspace")).toBe(1);
    expect(caretPastSeparator("۱٬۲۳۴", 1, "Delete")).toBe(2);
    expect(caretPastSeparator("1,234", 2, "Backspace")).toBe(1);
    expect(caretPastSeparator("۱٬۲۳۴", 3, "Backspace")).toBe(3);
    expect(caretPastSeparator("۱٬۲۳۴", 0, "Backspace")).toBe(0);
    expect(caretPastSeparator("۱٬۲۳۴", 5, "Delete")).toBe(5);
    expect(caretPastSeparator("۱٬۲۳۴", 2, "x")).toBe(2);
  });
});

describe("digits as typed", () => {
  it("shows Persian digits and ٫ in fa, one character for one", () => {
    expect(typedDigits("09121234567", "fa")).toBe("۰۹۱۲۱۲۳۴۵۶۷");
    expect(typedDigits("٠٩١٢", "fa")).toBe("۰۹۱۲");
    expect(typedDigits("5.230", "fa")).toBe("۵٫۲۳۰");
    expect(typedDigits("+98 912", "fa")).toBe("+۹۸ ۹۱۲");
    expect(typedDigits("750", "fa")).toBe("۷۵۰");
  });
  it("shows ASCII in en", () => {
    expect(typedDigits("۰۹۱۲", "en")).toBe("0912");
    expect(typedDigits("۵٫۲۳۰", "en")).toBe("5.230");
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
