import { describe, expect, it } from "vitest";
import type { Quote, SaleDraft, Totals } from "./bindings";
import {
  addDecimal, addItem, addPayment, addTradeIn, canConfirm, checkTradeIn, cleanAmount,
  cleanCode, compareDecimal, cycleMethod, emptyDraft, guessCustomerField, isEmptyDraft, moveSelection,
  needsQuote, newCustomerInput, payRest, removeItem, removePayment, removeTradeIn, rialsToUnit, selectionAfterRemove,
  setCustomer, subtractDecimal, toApi, formatPercent, readAmount, unitToRials, methodAfterPayment, DEFAULT_PAYMENT_METHOD,
  nonCashPaid, nonCashRoom, shopPays, needsPayoutConfirm,
} from "./sale";

const totals = (t: Partial<Totals> = {}): Totals => ({
  gold: "0", wage: "0", profit: "0", vat: "0", stones: "0", total: "0", trade_in: "0", due: "0", paid: "0", change: "0", ...t,
});

function quote(q: { lines?: number; remaining?: string; totals?: Partial<Totals>; payments?: Quote["payments"] } = {}): Quote {
  const line = {
    item_id: "i-1", tag: "R-1", name: "ring", weight: "5.230", purity: "750", karat: "karat-18", wage_rate: { kind: "percent" as const, value: "18" },
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
    exchange_refund: null,
    exchange_credit: null,
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

describe("payments, guarded", () => {
  it("tells an empty, a zero and a malformed amount apart", () => {
    expect(readAmount("", "rial")).toEqual({ ok: false, reason: "empty" });
    expect(readAmount("  ", "rial")).toEqual({ ok: false, reason: "empty" });
    expect(readAmount("0", "rial")).toEqual({ ok: false, reason: "zero" });
    expect(readAmount("۰", "rial")).toEqual({ ok: false, reason: "zero" });
    expect(readAmount("۰٬۰۰۰", "rial")).toEqual({ ok: false, reason: "zero" });
    expect(readAmount("0.0", "toman")).toEqual({ ok: false, reason: "zero" });
    expect(readAmount("-5", "rial")).toEqual({ ok: false, reason: "invalid" });
    expect(readAmount("12.5", "rial")).toEqual({ ok: false, reason: "invalid" });
    expect(addPayment(emptyDraft(), "cash", "۰", "rial")).toEqual({ ok: false, reason: "zero" });
  });
  it("reads what the field shows while typing, in any digits, as plain ASCII for the backend", () => {
    expect(readAmount("۱۲٬۵۰۰٬۰۰۰", "rial")).toEqual({ ok: true, amount: "12500000" });
    expect(readAmount("١٢٬٥٠٠", "rial")).toEqual({ ok: true, amount: "12500" });
    expect(readAmount("12,500,000", "rial")).toEqual({ ok: true, amount: "12500000" });
    expect(readAmount("۱۲٬۵۰۰٫۵", "toman")).toEqual({ ok: true, amount: "12500.5" });
  });
  it("converts the display unit to Rials exactly", () => {
    expect(unitToRials("12500.5", "toman")).toBe("125005");
    expect(unitToRials("12500", "toman")).toBe("125000");
    expect(unitToRials("12500", "rial")).toBe("12500");
    expect(unitToRials("999999999999999", "toman")).toBe("9999999999999990");
  });
  it("lets card, transfer and cheque cover at most what is due, as the backend does", () => {
    const q = quote({ totals: { due: "1000" }, remaining: "1000" });
    expect(nonCashRoom(q)).toBe("1000");
    expect(addPayment(emptyDraft(), "card", "1000", "rial", q)).toMatchObject({ ok: true, amount: "1000" });
    expect(addPayment(emptyDraft(), "card", "1001", "rial", q)).toEqual({ ok: false, reason: "above-due", amount: "1001", room: "1000" });
    expect(addPayment(emptyDraft(), "transfer", "۱٬۰۰۱", "rial", q)).toMatchObject({ reason: "above-due" });
    expect(addPayment(emptyDraft(), "cheque", "101", "toman", q)).toEqual({ ok: false, reason: "above-due", amount: "1010", room: "1000" });
    // Cash above what is due is change: allowed.
    expect(addPayment(emptyDraft(), "cash", "5000", "rial", q)).toMatchObject({ ok: true });
  });
  it("counts the card and transfer already taken, not the cash", () => {
    const paid = [{ method: "card" as const, amount: "600" }, { method: "cash" as const, amount: "300" }];
    const q = quote({ totals: { due: "1000", paid: "900", change: "-100" }, remaining: "100", payments: paid });
    expect(nonCashPaid(q)).toBe("600");
    expect(nonCashRoom(q)).toBe("400");
    // 400 by card on 100 remaining: 300 of the cash becomes change; the backend accepts it too.
    expect(addPayment(emptyDraft(), "card", "400", "rial", q)).toMatchObject({ ok: true });
    expect(addPayment(emptyDraft(), "card", "401", "rial", q)).toEqual({ ok: false, reason: "above-due", amount: "401", room: "400" });
  });
  it("refuses any card when nothing is due: unpriced, or the old gold covers the sale", () => {
    expect(nonCashRoom(null)).toBe("0");
    expect(addPayment(emptyDraft(), "card", "1", "rial", null)).toEqual({ ok: false, reason: "above-due", amount: "1", room: "0" });
    const payout = quote({ totals: { due: "-40", change: "40" } });
    expect(nonCashRoom(payout)).toBe("0");
    expect(addPayment(emptyDraft(), "card", "1", "rial", payout)).toMatchObject({ reason: "above-due" });
    // Without a quote to check against (older callers), the shape alone is checked.
    expect(addPayment(emptyDraft(), "card", "1", "rial")).toMatchObject({ ok: true });
  });
  it("goes back to the default method after each accepted payment, and keeps it after a refusal", () => {
    expect(DEFAULT_PAYMENT_METHOD).toBe("cash");
    expect(methodAfterPayment("card", true)).toBe("cash");
    expect(methodAfterPayment("cheque", true)).toBe("cash");
    expect(methodAfterPayment("card", false)).toBe("card");
    expect(methodAfterPayment("cash", false)).toBe("cash");
  });
});

describe("paying the customer out", () => {
  it("is the change when the old gold is worth more than the pieces", () => {
    expect(shopPays(null)).toBeNull();
    expect(shopPays(quote({ totals: { due: "100", paid: "100", change: "0" } }))).toBeNull();
    expect(shopPays(quote({ totals: { due: "0" } }))).toBeNull();
    expect(shopPays(quote({ totals: { due: "-40", paid: "0", change: "40" } }))).toBe("40");
    // Cash put down anyway comes back with it.
    expect(shopPays(quote({ totals: { due: "-40", paid: "10", change: "50" } }))).toBe("50");
  });
  it("is confirmed once per amount before recording", () => {
    const q = quote({ totals: { due: "-40", change: "40" } });
    expect(needsPayoutConfirm(q, null)).toBe(true);
    expect(needsPayoutConfirm(q, "40")).toBe(false);
    expect(needsPayoutConfirm(q, "39")).toBe(true); // the sale changed since the question
    expect(needsPayoutConfirm(quote({ totals: { due: "10" } }), null)).toBe(false);
    expect(needsPayoutConfirm(null, null)).toBe(false);
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
      trade_ins: [{ weight: "1", purity: "750", deduction: null }], exchange: { invoice_no: 3, tags: ["R-2"] },
    };
    const a = toApi(d);
    expect(a).toEqual(d);
    expect(a.items).not.toBe(d.items);
    expect(a.payments[0]).not.toBe(d.payments[0]);
    expect(a.exchange?.tags).not.toBe(d.exchange?.tags);
    expect(JSON.parse(JSON.stringify(a))).toEqual(d);
  });
  it("knows when there is something to price", () => {
    expect(needsQuote(emptyDraft())).toBe(false);
    expect(isEmptyDraft(emptyDraft())).toBe(true);
    expect(needsQuote({ ...emptyDraft(), trade_ins: [{ weight: "1", purity: "750", deduction: null }] })).toBe(true);
    expect(isEmptyDraft({ ...emptyDraft(), customer: "c" })).toBe(false);
  });
});

describe("percent", () => {
  it("uses the language's digits and sign", () => {
    expect(formatPercent("10", "fa")).toBe("۱۰٪");
    expect(formatPercent("7.50", "en")).toBe("7.5%");
  });
});
