import { describe, expect, it } from "vitest";
import type { Quote, SaleDraft, TotalsView } from "./bindings";
import {
  addDecimal, addItem, addPayment, addTradeIn, canConfirm, cashPaid, changeNotFromCash, checkTradeIn, cleanAmount,
  cleanCode, compareDecimal, cycleMethod, emptyDraft, guessCustomerField, isEmptyDraft, karatId, moveSelection,
  needsQuote, newCustomerInput, payRest, removeItem, removePayment, removeTradeIn, rialsToUnit, selectionAfterRemove,
  setCustomer, subtractDecimal, toApi, formatPercent,
} from "./sale";

const totals = (t: Partial<TotalsView> = {}): TotalsView => ({
  gold: "0", wage: "0", profit: "0", vat: "0", stones: "0", total: "0", trade_in: "0", due: "0", paid: "0", change: "0", ...t,
});

function quote(q: { lines?: number; remaining?: string; totals?: Partial<TotalsView>; payments?: Quote["payments"] } = {}): Quote {
  const line = {
    tag: "R-1", name: "ring", weight: "5.230", purity: "750", wage_rate: { kind: "percent" as const, value: "18" },
    profit_percent: "7", returned: false,
    price: { gold: "100", wage: "10", profit: "7", vat: "1", stones: "0", total: "118" },
  };
  return {
    lines: Array.from({ length: q.lines ?? 1 }, () => line),
    trade_ins: [],
    payments: q.payments ?? [],
    totals: totals(q.totals),
    remaining: q.remaining ?? "0",
    per_gram_18k: "80000000",
    vat_percent: "10",
    alerts: [],
  };
}

describe("decimals on strings", () => {
  it("compares without floats, across scales and signs", () => {
    expect(compareDecimal("10", "9")).toBe(1);
    expect(compareDecimal("9.99", "10")).toBe(-1);
    expect(compareDecimal("1.50", "1.5")).toBe(0);
    expect(compareDecimal("-3", "2")).toBe(-1);
    expect(compareDecimal("۱۲", "12")).toBe(0);
    // 2^53 + 1 is where floats stop telling neighbours apart.
    expect(compareDecimal("9007199254740993", "9007199254740992")).toBe(1);
  });
  it("adds and subtracts large amounts exactly", () => {
    expect(addDecimal("999999999999999999", "1")).toBe("1000000000000000000");
    expect(addDecimal("0.1", "0.2")).toBe("0.3");
    expect(subtractDecimal("1000000000000", "1000000000001")).toBe("-1");
    expect(subtractDecimal("5", "5")).toBe("0");
    expect(subtractDecimal("1.25", "0.05")).toBe("1.2");
  });
  it("gives Rials in the display unit", () => {
    expect(rialsToUnit("1234567", "toman")).toBe("123456.7");
    expect(rialsToUnit("1234560", "toman")).toBe("123456");
    expect(rialsToUnit("5", "toman")).toBe("0.5");
    expect(rialsToUnit("1234567", "rial")).toBe("1234567");
    expect(rialsToUnit("1000000000000000", "rial")).toBe("1000000000000000");
  });
  it("throws on what is not a decimal", () => {
    expect(() => compareDecimal("1e3", "1")).toThrow();
    expect(() => addDecimal("", "1")).toThrow();
  });
});

describe("items", () => {
  it("folds Persian and Arabic digits and trims", () => {
    expect(cleanCode("  ۱۲۳۴۵ ")).toBe("12345");
    expect(cleanCode("R-٤٥")).toBe("R-45");
    expect(cleanCode("\u200fR-12\u200e")).toBe("R-12");
  });
  it("adds a code and leaves the old draft alone", () => {
    const d0 = emptyDraft();
    const r = addItem(d0, "R-۱۰۰۱");
    expect(r).toEqual({ ok: true, code: "R-1001", draft: { ...d0, items: ["R-1001"] } });
    expect(d0.items).toEqual([]);
  });
  it("refuses a code already in the sale, whatever digits it was typed in", () => {
    const d = { ...emptyDraft(), items: ["R-1001"] };
    expect(addItem(d, "R-۱۰۰۱")).toEqual({ ok: false, reason: "duplicate", code: "R-1001" });
    expect(addItem(d, " R-1001 ")).toMatchObject({ ok: false, reason: "duplicate" });
    // Tags are matched exactly by the backend: another case is another code.
    expect(addItem(d, "r-1001").ok).toBe(true);
  });
  it("refuses empty, spaced and overlong codes", () => {
    expect(addItem(emptyDraft(), "   ")).toMatchObject({ ok: false, reason: "empty" });
    expect(addItem(emptyDraft(), "R 1001")).toMatchObject({ ok: false, reason: "invalid" });
    expect(addItem(emptyDraft(), "9".repeat(65))).toMatchObject({ ok: false, reason: "invalid" });
    expect(addItem(emptyDraft(), "9".repeat(64)).ok).toBe(true);
  });
  it("removes by index", () => {
    const d = { ...emptyDraft(), items: ["a", "b", "c"] };
    expect(removeItem(d, 1).items).toEqual(["a", "c"]);
    expect(removeItem(d, 5).items).toEqual(["a", "b", "c"]);
    expect(d.items).toEqual(["a", "b", "c"]);
  });
  it("moves and keeps the line selection in range", () => {
    expect(moveSelection(null, 0, 1)).toBeNull();
    expect(moveSelection(null, 3, 1)).toBe(0);
    expect(moveSelection(null, 3, -1)).toBe(2);
    expect(moveSelection(1, 3, 1)).toBe(2);
    expect(moveSelection(2, 3, 1)).toBe(2);
    expect(moveSelection(0, 3, -1)).toBe(0);
    expect(selectionAfterRemove(2, 2, 2)).toBe(1);
    expect(selectionAfterRemove(2, 0, 2)).toBe(1);
    expect(selectionAfterRemove(0, 1, 2)).toBe(0);
    expect(selectionAfterRemove(0, 0, 0)).toBeNull();
    expect(selectionAfterRemove(null, 0, 3)).toBeNull();
  });
});

describe("payments", () => {
  it("cleans amounts typed with separators and any digits", () => {
    expect(cleanAmount("۱۲۰٬۰۰۰٬۰۰۰", "rial")).toBe("120000000");
    expect(cleanAmount("120,000,000", "rial")).toBe("120000000");
    expect(cleanAmount(" 5 000 000 ", "rial")).toBe("5000000");
    expect(cleanAmount("00250", "rial")).toBe("250");
    expect(cleanAmount("123456٫7", "toman")).toBe("123456.7");
    expect(cleanAmount("123456.70", "toman")).toBe("123456.7");
    expect(cleanAmount("1000.0", "rial")).toBe("1000");
  });
  it("refuses what the backend would refuse", () => {
    expect(cleanAmount("", "rial")).toBeNull();
    expect(cleanAmount("0", "rial")).toBeNull();
    expect(cleanAmount("-5", "rial")).toBeNull();
    expect(cleanAmount("1,5", "rial")).toBeNull(); // a mistyped 1.5, not 15
    expect(cleanAmount("12.5", "rial")).toBeNull(); // no fractions of a Rial
    expect(cleanAmount("12.55", "toman")).toBeNull();
    expect(cleanAmount("abc", "toman")).toBeNull();
    expect(cleanAmount("1e6", "rial")).toBeNull();
  });
  it("adds a payment as typed, cleaned", () => {
    const r = addPayment(emptyDraft(), "card", "۵۰٬۰۰۰", "toman");
    expect(r).toEqual({ ok: true, amount: "50000", draft: { ...emptyDraft(), payments: [{ method: "card", amount: "50000" }] } });
    expect(addPayment(emptyDraft(), "cash", "x", "rial")).toEqual({ ok: false, reason: "invalid" });
  });
  it("pays the rest from the quote, in the display unit", () => {
    const q = quote({ remaining: "1234567" });
    const d = { ...emptyDraft(), items: ["R-1"], payments: [{ method: "card" as const, amount: "1000" }] };
    const rial = payRest(d, "cash", q, "rial");
    expect(rial).toMatchObject({ ok: true, amount: "1234567" });
    expect(rial.ok && rial.draft.payments).toEqual([{ method: "card", amount: "1000" }, { method: "cash", amount: "1234567" }]);
    expect(payRest(d, "transfer", q, "toman")).toMatchObject({ ok: true, amount: "123456.7" });
    expect(payRest(d, "cash", quote({ remaining: "12000000000000" }), "rial")).toMatchObject({ amount: "12000000000000" });
  });
  it("has nothing to pay when covered or unpriced", () => {
    expect(payRest(emptyDraft(), "cash", quote({ remaining: "0" }), "rial")).toEqual({ ok: false, reason: "nothing-due" });
    expect(payRest(emptyDraft(), "cash", null, "rial")).toEqual({ ok: false, reason: "nothing-due" });
  });
  it("removes a payment and cycles methods", () => {
    const d = { ...emptyDraft(), payments: [{ method: "cash" as const, amount: "1" }, { method: "card" as const, amount: "2" }] };
    expect(removePayment(d, 0).payments).toEqual([{ method: "card", amount: "2" }]);
    expect(cycleMethod("cash", 1)).toBe("card");
    expect(cycleMethod("cheque", 1)).toBe("cash");
    expect(cycleMethod("cash", -1)).toBe("cheque");
    expect(cycleMethod("transfer", 6)).toBe("cash");
  });
});

describe("confirming", () => {
  it("needs a piece", () => {
    expect(canConfirm(null)).toEqual({ ok: false, reason: "no-items" });
    expect(canConfirm(quote({ lines: 0 }))).toEqual({ ok: false, reason: "no-items" });
  });
  it("needs the payments to cover what is due", () => {
    expect(canConfirm(quote({ remaining: "1" }))).toEqual({ ok: false, reason: "payments-short" });
    expect(canConfirm(quote({ remaining: "0" }))).toEqual({ ok: true });
  });
  it("knows when the change cannot come from cash", () => {
    const card = [{ method: "card" as const, amount: "110" }];
    expect(changeNotFromCash(quote({ totals: { due: "100", paid: "110", change: "10" }, payments: card }))).toBe(true);
    const mixed = [{ method: "card" as const, amount: "60" }, { method: "cash" as const, amount: "50" }];
    expect(changeNotFromCash(quote({ totals: { due: "100", paid: "110", change: "10" }, payments: mixed }))).toBe(false);
    expect(cashPaid(quote({ payments: [...mixed, { method: "cash", amount: "5" }] }))).toBe("55");
    // Old gold worth more than the piece: the shop pays the difference.
    expect(changeNotFromCash(quote({ totals: { due: "-40", paid: "0", change: "40" } }))).toBe(false);
    expect(changeNotFromCash(quote({ totals: { due: "100", paid: "100", change: "0" }, payments: card }))).toBe(false);
  });
});

describe("trade-ins", () => {
  it("accepts weight, purity and an optional deduction in any digits", () => {
    expect(checkTradeIn("۱۰٫۵", "۷۵۰", "")).toEqual({ ok: true, tradeIn: { weight: "10.5", purity: "750", deduction: null } });
    expect(checkTradeIn("3.215", "999.9", "5٪")).toEqual({ ok: true, tradeIn: { weight: "3.215", purity: "999.9", deduction: "5" } });
    expect(checkTradeIn("2", "1000", "0")).toMatchObject({ ok: true, tradeIn: { deduction: "0" } });
  });
  it("names the field that is wrong", () => {
    expect(checkTradeIn("", "750", "")).toEqual({ ok: false, field: "weight", value: "" });
    expect(checkTradeIn("0", "750", "")).toMatchObject({ field: "weight" });
    expect(checkTradeIn("1.2345", "750", "")).toMatchObject({ field: "weight" });
    expect(checkTradeIn("2", "1001", "")).toMatchObject({ field: "purity", value: "1001" });
    expect(checkTradeIn("2", "0.5", "")).toMatchObject({ field: "purity" });
    expect(checkTradeIn("2", "750.25", "")).toMatchObject({ field: "purity" });
    expect(checkTradeIn("2", "750", "100")).toMatchObject({ field: "deduction", value: "100" });
    expect(checkTradeIn("2", "750", "abc")).toMatchObject({ field: "deduction" });
  });
  it("adds and removes", () => {
    const t = { weight: "1", purity: "750", deduction: null };
    const d = addTradeIn(addTradeIn(emptyDraft(), t), { ...t, weight: "2" });
    expect(d.trade_ins.map((x) => x.weight)).toEqual(["1", "2"]);
    expect(removeTradeIn(d, 0).trade_ins.map((x) => x.weight)).toEqual(["2"]);
  });
});

describe("customer", () => {
  it("guesses what a search text is", () => {
    expect(guessCustomerField("۰۹۱۲۳۴۵۶۷۸۹")).toBe("mobile");
    expect(guessCustomerField("0912 345 6789")).toBe("mobile");
    expect(guessCustomerField("0012345678")).toBe("national_id");
    expect(guessCustomerField("مریم احمدی")).toBe("name");
    expect(guessCustomerField("123")).toBe("name");
  });
  it("builds the quick-add input", () => {
    expect(newCustomerInput("  مریم  ", "۰۹۱۲۳۴۵۶۷۸۹", "")).toEqual({ name: "مریم", mobile: "09123456789", national_id: null });
    expect(newCustomerInput("Ali", "", "001-234-5678")).toEqual({ name: "Ali", mobile: null, national_id: "0012345678" });
    expect(newCustomerInput("   ", "0912", "")).toBeNull();
  });
  it("sets the customer, null for walk-in", () => {
    expect(setCustomer(emptyDraft(), "c-1").customer).toBe("c-1");
    expect(setCustomer({ ...emptyDraft(), customer: "c-1" }, null).customer).toBeNull();
  });
});

describe("the draft for the API", () => {
  it("is a plain copy", () => {
    const d: SaleDraft = {
      items: ["R-1"], customer: "c", payments: [{ method: "cash", amount: "5" }],
      trade_ins: [{ weight: "1", purity: "750", deduction: null }],
    };
    const a = toApi(d);
    expect(a).toEqual(d);
    expect(a.items).not.toBe(d.items);
    expect(a.payments[0]).not.toBe(d.payments[0]);
    expect(JSON.parse(JSON.stringify(a))).toEqual(d);
  });
  it("knows when there is something to price", () => {
    expect(needsQuote(emptyDraft())).toBe(false);
    expect(isEmptyDraft(emptyDraft())).toBe(true);
    expect(needsQuote({ ...emptyDraft(), trade_ins: [{ weight: "1", purity: "750", deduction: null }] })).toBe(true);
    expect(isEmptyDraft({ ...emptyDraft(), customer: "c" })).toBe(false);
  });
});

describe("karat names", () => {
  it("follows zargar-rules", () => {
    expect(karatId("750")).toBe("karat-18");
    expect(karatId("750.0")).toBe("karat-18");
    expect(karatId("875")).toBe("karat-21");
    expect(karatId("999.9")).toBe("karat-24");
    expect(karatId("1000")).toBe("karat-24");
    expect(karatId("585")).toBe("karat-14");
    expect(karatId("705")).toBe("karat-molten");
    expect(karatId("916")).toBeNull();
    expect(karatId("junk")).toBeNull();
  });
});

describe("percent", () => {
  it("uses the language's digits and sign", () => {
    expect(formatPercent("10", "fa")).toBe("۱۰٪");
    expect(formatPercent("7.50", "en")).toBe("7.5%");
  });
});
