import { describe, expect, test } from "vitest";
import { canResolve, dueChange, paymentDrafts, replacements, resolveInput, shownOptions } from "./conflicts";
import { ageHours, dayInstant, newestFirst, shiftDay, todayTehran } from "./days";
import { messageIdFor, syncTone } from "./display";
import { moveIndex, tabForKey } from "./lists";
import { isOwnerLocked, normalizePin, ownerNameProblem, pinProblem } from "./pin";
import { normalizeAmount, normalizeDecimal, normalizeHours } from "./typed";
import { formatDay } from "./format";
import type { GoldPrice } from "./bindings";
import { localized } from "./test-fixtures";

describe("PIN", () => {
  test.each([
    ["۱۲۳۴", "1234"],
    ["٥٦٧٨ ", "5678"],
    [" 12 34 ", "1234"],
  ])("Persian, Arabic and ASCII digits fold to ASCII: %j → %s", (typed, want) => {
    expect(normalizePin(typed)).toBe(want);
  });

  test.each<[string, string | null]>([
    ["123", "error-owner-pin-weak"],
    ["1234", null],
    ["۱۲۳۴۵۶۷۸", null],
    ["123456789", "error-owner-pin-weak"],
    ["12a4", "error-owner-pin-weak"],
    ["", "error-owner-pin-weak"],
  ])("4 to 8 digits: %j → %s", (pin, want) => {
    expect(pinProblem(pin)).toBe(want);
  });

  test("confirmation must match, whatever digits were typed", () => {
    expect(pinProblem("1234", "۱۲۳۴")).toBeNull();
    expect(pinProblem("1234", "1235")).toBe("pin-mismatch");
    // Shape is reported before the mismatch.
    expect(pinProblem("12", "34")).toBe("error-owner-pin-weak");
  });

  test("owner's name is required", () => {
    expect(ownerNameProblem("  ")).toBe("error-owner-name-required");
    expect(ownerNameProblem("رضا")).toBeNull();
  });
});

describe("amounts as typed", () => {
  test.each<[string, string | null]>([
    // Separators are stripped and digits folded …
    ["۴۵٬۰۰۰٬۰۰۰", "45000000"],
    ["45,000,000", "45000000"],
    ["45 000 000", "45000000"],
    ["۴۵\u00a0۰۰۰", "45000"],
    ["٤٥٠٠", "4500"],
    // … and what is not a number, or zero, is refused.
    ["", null],
    ["abc", null],
    ["-5", null],
    ["1.2.3", null],
    ["0", null],
  ])("amount %j → %s", (typed, want) => {
    expect(normalizeAmount(typed)).toBe(want);
  });

  test("decimal point in either script; zeros trimmed", () => {
    expect(normalizeDecimal("۱۲٫۵۰")).toBe("12.5");
    expect(normalizeDecimal("007")).toBe("7");
    expect(normalizeDecimal("3.000")).toBe("3");
  });

  test("zero only where allowed", () => {
    expect(normalizeDecimal("0", { allowZero: true })).toBe("0");
    expect(normalizeDecimal("۰٫۰", { allowZero: true })).toBe("0");
  });

  test("hours are whole and positive", () => {
    expect(normalizeHours("۲۴")).toBe("24");
    expect(normalizeHours("1.5")).toBeNull();
    expect(normalizeHours("0")).toBeNull();
  });
});

describe("days", () => {
  test("today is Tehran's date, not UTC's", () => {
    // 21:00 UTC on 2025-11-20 is 00:30 on the 21st in Tehran (UTC+3:30).
    expect(todayTehran(new Date("2025-11-20T21:00:00Z"))).toBe("2025-11-21");
    expect(todayTehran(new Date("2025-11-20T20:00:00Z"))).toBe("2025-11-20");
  });

  test("shifting crosses months, years and leap days", () => {
    expect(shiftDay("2025-11-21", -1)).toBe("2025-11-20");
    expect(shiftDay("2025-12-31", 1)).toBe("2026-01-01");
    expect(shiftDay("2024-03-01", -1)).toBe("2024-02-29");
    expect(shiftDay("2025-03-01", -1)).toBe("2025-02-28");
  });

  test("a day shows as its Jalali date", () => {
    expect(formatDay(dayInstant("2025-11-21"), "fa")).toBe("۱۴۰۴/۰۸/۳۰");
    expect(formatDay(dayInstant("2025-03-21"), "fa")).toBe("۱۴۰۴/۰۱/۰۱");
    expect(formatDay(dayInstant("2025-11-21"), "en")).toBe("2025-11-21");
  });

  test("age in whole hours", () => {
    const now = new Date("2025-11-21T12:00:00Z");
    expect(ageHours("2025-11-21T09:30:00Z", now)).toBe(2);
    expect(ageHours("2025-11-20T12:00:00Z", now)).toBe(24);
    expect(ageHours("2025-11-22T12:00:00Z", now)).toBe(0);
  });

  test("price history newest first", () => {
    const p = (set_at: string): GoldPrice => ({ id: set_at, per_gram_18k: "1", mazaneh: null, set_at, origin: "till", scope: "shop", set_by: null });
    const sorted = newestFirst([p("2025-11-19T08:00:00Z"), p("2025-11-21T08:00:00Z"), p("2025-11-20T08:00:00Z")]);
    expect(sorted.map((x) => x.set_at)).toEqual(["2025-11-21T08:00:00Z", "2025-11-20T08:00:00Z", "2025-11-19T08:00:00Z"]);
  });
});

describe("keys", () => {
  test.each([
    [-1, 1, 3, 0],
    [-1, -1, 3, 2],
    [0, -1, 3, 0],
    [1, 1, 3, 2],
    [2, 1, 3, 2],
    [0, 1, 0, -1],
  ])("row moves are clamped: from %i by %i of %i → %i", (current, delta, length, want) => {
    expect(moveIndex(current, delta, length)).toBe(want);
  });

  const tabs = ["general", "conflicts"] as const;
  test.each([
    ["general", "ArrowLeft", true, "conflicts"],
    ["general", "ArrowRight", false, "conflicts"],
    ["general", "ArrowRight", true, "conflicts"], // wraps
    ["conflicts", "Home", true, "general"],
    ["general", "End", false, "conflicts"],
    ["general", "Enter", false, null],
  ] as const)("tabs follow the reading direction: %s, %s (rtl %s) → %s", (current, key, rtl, want) => {
    expect(tabForKey(tabs, current, key, rtl)).toBe(want);
  });
});

describe("display", () => {
  test.each([
    ["acked", "ok"],
    ["pending", "warn"],
    ["conflict", "bad"],
    ["rejected", "bad"],
    ["voided", "muted"],
  ] as const)("sync state %s has the tone %s", (state, tone) => {
    expect(syncTone(state)).toBe(tone);
  });

  test("backend strings become message ids, never raw codes", () => {
    const known = new Set(["error-reason-required", "conflict-item-unknown"]);
    const has = (id: string) => known.has(id);
    expect(messageIdFor("reason_required", has)).toBe("error-reason-required");
    expect(messageIdFor("conflict-item-unknown", has)).toBe("conflict-item-unknown");
    expect(messageIdFor("something_else", has)).toBeNull();
    expect(messageIdFor("  ", has)).toBeNull();
  });

  test("owner_locked is recognised", () => {
    expect(isOwnerLocked(localized("owner_locked", "error-owner-locked"))).toBe(true);
    expect(isOwnerLocked({ code: "owner_pin_wrong" })).toBe(false);
    expect(isOwnerLocked("owner_locked")).toBe(false);
    expect(isOwnerLocked(null)).toBe(false);
  });
});

describe("conflicts", () => {
  test("actions only while open and not waiting", () => {
    expect(canResolve({ open: true, pending: false })).toBe(true);
    expect(canResolve({ open: true, pending: true })).toBe(false);
    expect(canResolve({ open: false, pending: false })).toBe(false);
  });

  test("resubmit only for this till's own sale", () => {
    const options = ["accept", "void", "resubmit"] as const;
    expect(shownOptions({ options: [...options], mine: false, sale: null })).toEqual(["accept", "void"]);
    expect(shownOptions({ options: ["retry"], mine: true, sale: null })).toEqual(["retry"]);
  });

  test("replacements keep only changed, filled-in tags", () => {
    const typed = { "A-100": " A-200 ", "A-101": "", "A-102": "A-102", "A-103": "B-۱۲" };
    expect(replacements(["A-100", "A-101", "A-102", "A-103", "A-104"], typed)).toEqual([
      { old: "A-100", new: "A-200" },
      { old: "A-103", new: "B-12" },
    ]);
  });

  test("payments: empty rows dropped, none means null", () => {
    expect(paymentDrafts([{ method: "cash", amount: " " }])).toBeNull();
    expect(paymentDrafts([{ method: "card", amount: " ۱۰۰٬۰۰۰ " }, { method: "cash", amount: "" }])).toEqual([
      { method: "card", amount: "۱۰۰٬۰۰۰" },
    ]);
  });

  test("resolve input", () => {
    expect(resolveInput("op-1", "accept", { reason: "  sold twice, customer paid  " })).toEqual({
      op_id: "op-1", resolution: "accept", reason: "sold twice, customer paid", replace: [], payments: null,
      due_change: null,
    });
    expect(resolveInput("op-2", "void", { reason: "   " })).toEqual({
      op_id: "op-2", resolution: "void", reason: null, replace: [], payments: null, due_change: null,
    });
    // Replacements only travel with a resubmit.
    const replace = [{ old: "A", new: "B" }];
    expect(resolveInput("op-3", "retry", { replace }).replace).toEqual([]);
    expect(resolveInput("op-3", "resubmit", { replace, payments: [{ method: "cash", amount: "5" }] })).toEqual({
      op_id: "op-3", resolution: "resubmit", reason: null, replace, payments: [{ method: "cash", amount: "5" }],
      due_change: null,
    });
    // A resubmit that lowered what is due by 13.6M, paid back in cash.
    const back = dueChange("-13600000", "cash");
    expect(back).toEqual({ amount: "-13600000", method: "cash" });
    expect(resolveInput("op-4", "resubmit", { replace, dueChange: back }).due_change).toEqual(back);
    expect(resolveInput("op-4", "void", { dueChange: back }).due_change).toBeNull();
  });

  test("a resubmit that changes nothing settles nothing", () => {
    expect(dueChange("0", "cash")).toBeNull();
    expect(dueChange("-0", "card")).toBeNull();
    expect(dueChange("2500000", "card")).toEqual({ amount: "2500000", method: "card" });
  });
});
