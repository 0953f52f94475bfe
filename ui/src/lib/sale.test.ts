import { describe, expect, it } from "vitest";
import type { DisplayUnit, PaymentMethod, Quote, SaleDraft, Totals } from "./bindings";
import type { AmountRead, CustomerField } from "./sale";
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
    discount: { wage: "0", profit: "0" },
    discount_percent: "0",
    discount_needs_approval: false,
  };
}

describe("decimals on strings", () => {
  it.each([
    ["10", "9", 1],
    ["9.99", "10", -1],
    ["1.50", "1.5", 0],
    ["-3", "2", -1],
    ["۱۲", "12", 0],
    // 2^53 + 1 is where floats stop telling neighbours apart.
    ["9007199254740993", "9007199254740992", 1],
  ])("compares %s with %s without floats, across scales and signs: %i", (a, b, want) => {
    expect(compareDecimal(a, b)).toBe(want);
  });
  it("adds and subtracts large amounts exactly", () => {
    expect(addDecimal("999999999999999999", "1")).toBe("1000000000000000000");
    expect(addDecimal("0.1", "0.2")).toBe("0.3");
    expect(subtractDecimal("1000000000000", "1000000000001")).toBe("-1");
    expect(subtractDecimal("5", "5")).toBe("0");
    expect(subtractDecimal("1.25", "0.05")).toBe("1.2");
  });
  it.each<[string, DisplayUnit, string]>([
    ["1234567", "toman", "123456.7"],
    ["1234560", "toman", "123456"],
    ["5", "toman", "0.5"],
    ["1234567", "rial", "1234567"],
    ["1000000000000000", "rial", "1000000000000000"],
  ])("gives %s Rials in %s: %s", (rials, unit, want) => {
    expect(rialsToUnit(rials, unit)).toBe(want);
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
  it.each([
    [null, 0, 1, null],
    [null, 3, 1, 0],
    [null, 3, -1, 2],
    [1, 3, 1, 2],
    [2, 3, 1, 2],
    [0, 3, -1, 0],
  ])("moves the line selection in range: %s of %i by %i → %s", (current, count, delta, want) => {
    expect(moveSelection(current, count, delta)).toBe(want);
  });
  it.each([
    [2, 2, 2, 1],
    [2, 0, 2, 1],
    [0, 1, 2, 0],
    [0, 0, 0, null],
    [null, 0, 3, null],
  ])("keeps the line selection in range after a removal: %s, removing %i of %i → %s", (selected, removed, count, want) => {
    expect(selectionAfterRemove(selected, removed, count)).toBe(want);
  });
});

describe("payments", () => {
  it.each<[string, DisplayUnit, string | null]>([
    // Separators and any digits are cleaned …
    ["۱۲۰٬۰۰۰٬۰۰۰", "rial", "120000000"],
    ["120,000,000", "rial", "120000000"],
    [" 5 000 000 ", "rial", "5000000"],
    ["00250", "rial", "250"],
    ["123456٫7", "toman", "123456.7"],
    ["123456.70", "toman", "123456.7"],
    ["1000.0", "rial", "1000"],
    // … and what the backend would refuse is refused.
    ["", "rial", null],
    ["0", "rial", null],
    ["-5", "rial", null],
    ["1,5", "rial", null], // a mistyped 1.5, not 15
    ["12.5", "rial", null], // no fractions of a Rial
    ["12.55", "toman", null],
    ["abc", "toman", null],
    ["1e6", "rial", null],
  ])("cleans the amount %j in %s: %s", (typed, unit, want) => {
    expect(cleanAmount(typed, unit)).toBe(want);
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
  it("removes a payment", () => {
    const d = { ...emptyDraft(), payments: [{ method: "cash" as const, amount: "1" }, { method: "card" as const, amount: "2" }] };
    expect(removePayment(d, 0).payments).toEqual([{ method: "card", amount: "2" }]);
  });
  it.each<[PaymentMethod, number, PaymentMethod]>([
    ["cash", 1, "card"],
    ["cheque", 1, "account"],
    ["account", 1, "cash"],
    ["cash", -1, "account"],
    ["transfer", 6, "cheque"],
  ])("cycles methods: %s by %i → %s", (method, delta, want) => {
    expect(cycleMethod(method, delta)).toBe(want);
  });
});

describe("payments, guarded", () => {
  it.each<[string, DisplayUnit, AmountRead]>([
    // An empty, a zero and a malformed amount told apart …
    ["", "rial", { ok: false, reason: "empty" }],
    ["  ", "rial", { ok: false, reason: "empty" }],
    ["0", "rial", { ok: false, reason: "zero" }],
    ["۰", "rial", { ok: false, reason: "zero" }],
    ["۰٬۰۰۰", "rial", { ok: false, reason: "zero" }],
    ["0.0", "toman", { ok: false, reason: "zero" }],
    ["-5", "rial", { ok: false, reason: "invalid" }],
    ["12.5", "rial", { ok: false, reason: "invalid" }],
    // … and what the field shows while typing, in any digits, read as plain ASCII for the backend.
    ["۱۲٬۵۰۰٬۰۰۰", "rial", { ok: true, amount: "12500000" }],
    ["١٢٬٥٠٠", "rial", { ok: true, amount: "12500" }],
    ["12,500,000", "rial", { ok: true, amount: "12500000" }],
    ["۱۲٬۵۰۰٫۵", "toman", { ok: true, amount: "12500.5" }],
  ])("reads the amount %j in %s", (typed, unit, want) => {
    expect(readAmount(typed, unit)).toEqual(want);
  });
  it("refuses a zero payment", () => {
    expect(addPayment(emptyDraft(), "cash", "۰", "rial")).toEqual({ ok: false, reason: "zero" });
  });
  it.each<[string, DisplayUnit, string]>([
    ["12500.5", "toman", "125005"],
    ["12500", "toman", "125000"],
    ["12500", "rial", "12500"],
    ["999999999999999", "toman", "9999999999999990"],
  ])("converts %s %s to Rials exactly: %s", (amount, unit, want) => {
    expect(unitToRials(amount, unit)).toBe(want);
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
  it("defaults to cash", () => {
    expect(DEFAULT_PAYMENT_METHOD).toBe("cash");
  });
  it.each<[PaymentMethod, boolean, PaymentMethod]>([
    ["card", true, "cash"],
    ["cheque", true, "cash"],
    ["card", false, "card"],
    ["cash", false, "cash"],
  ])("goes back to the default method after each accepted payment, and keeps it after a refusal: %s (accepted %s) → %s", (method, accepted, want) => {
    expect(methodAfterPayment(method, accepted)).toBe(want);
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
  it("names the field that is wrong, with the value", () => {
    expect(checkTradeIn("", "750", "")).toEqual({ ok: false, field: "weight", value: "" });
  });
  it.each([
    ["0", "750", "", { field: "weight" }],
    ["1.2345", "750", "", { field: "weight" }],
    ["2", "1001", "", { field: "purity", value: "1001" }],
    ["2", "0.5", "", { field: "purity" }],
    ["2", "750.25", "", { field: "purity" }],
    ["2", "750", "100", { field: "deduction", value: "100" }],
    ["2", "750", "abc", { field: "deduction" }],
  ])("names the field that is wrong: %j, %j, %j", (weight, purity, deduction, want) => {
    expect(checkTradeIn(weight, purity, deduction)).toMatchObject(want);
  });
  it("adds and removes", () => {
    const t = { weight: "1", purity: "750", deduction: null };
    const d = addTradeIn(addTradeIn(emptyDraft(), t), { ...t, weight: "2" });
    expect(d.trade_ins.map((x) => x.weight)).toEqual(["1", "2"]);
    expect(removeTradeIn(d, 0).trade_ins.map((x) => x.weight)).toEqual(["2"]);
  });
});

describe("customer", () => {
  it.each<[string, CustomerField]>([
    ["۰۹۱۲۳۴۵۶۷۸۹", "mobile"],
    ["0912 345 6789", "mobile"],
    ["0012345678", "national_id"],
    ["مریم احمدی", "name"],
    ["123", "name"],
  ])("guesses what the search text %j is: %s", (text, want) => {
    expect(guessCustomerField(text)).toBe(want);
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
      wage_discount: "10%", profit_discount: null,
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
