import { describe, expect, it } from "vitest";
import type { SaleView } from "./bindings";
import { packBits, toBase64 } from "./raster";
import { receiptRows, type ReceiptWords } from "./receipt";

const words: ReceiptWords = {
  t: (id, args) => (args ? `${id}(${Object.values(args).join(",")})` : id),
  money: (r) => `${r} IRR`,
  num: (v) => String(v),
  digits: (id) => `#${id}`,
  grams: (v) => v,
  purity: (p, _karat) => p,
  percent: (p) => `${p}%`,
  dateTime: (iso) => iso,
};

const line = {
  item_id: "i-1", tag: "R-1", name: "ring", weight: "5.230", purity: "750", karat: "karat-18", wage_rate: { kind: "percent" as const, value: "15" },
  profit_percent: "7", returned: true,
  price: { gold: "100", wage: "15", profit: "8", vat: "3", stones: "0", total: "126" },
};

const sale: SaleView = {
  id: "s", invoice_no: 7, sold_at: "2025-11-21T08:00:00Z", till: "till 1", shop: "shop", customer: null,
  per_gram_18k: "80000000", vat_percent: "10", lines: [line], trade_ins: [],
  payments: [{ method: "card", amount: "100" }, { method: "cash", amount: "26" }],
  totals: { gold: "100", wage: "15", profit: "8", vat: "3", stones: "0", total: "126", trade_in: "0", due: "126", paid: "126", change: "0" },
  sync: "acked",
  seller: "Sara",
  discount: { wage: "2", profit: "1" },
  discount_approved_by: null,
  legal: {
    seller: {
      name: "Zarrin Gold", economic_code: "14003778990", national_id: "14003778990", postal_code: "1234567890",
      address: "Grand Bazaar, Tehran", phone: "02155555555",
    },
    buyer: { name: "Zahra", national_id: "0084575948", economic_code: null, postal_code: "1111111111" },
    tax_id: "A1121604C220002F095011",
  },
  returns: [
    {
      return_no: 2, returned_at: "2025-11-21T09:00:00Z", lines: [line], refund: "126",
      refunds: [{ method: "cash", amount: "26" }, { method: "card", amount: "100" }], exchange_invoice_no: null,
    },
  ],
};

describe("the receipt as rows", () => {
  const rows = receiptRows(sale, words);
  const text = rows.map((r) => (r.kind === "rule" ? "---" : r.kind === "title" ? r.text : `${r.start} | ${r.end ?? ""}`));

  it("names the shop, the invoice and every part of the price", () => {
    expect(text[0]).toBe("shop");
    expect(text).toContain("receipt-seller | Sara");
    expect(text).toContain("invoice-sum-discount | −3 IRR");
    expect(text).toContain("receipt-no | 7");
    for (const part of ["invoice-gold | 100 IRR", "invoice-vat (10%) | 3 IRR", "invoice-line-total | 126 IRR"]) {
      expect(text).toContain(part);
    }
    expect(text.some((t) => t.startsWith("ring R-1 (invoice-returned)"))).toBe(true);
  });

  it("carries both legal blocks and the tax id, ids unseparated", () => {
    expect(text).toContain("invoice-legal-seller | ");
    expect(text).toContain("legal-economic-code | #14003778990");
    expect(text).toContain("invoice-legal-buyer | ");
    expect(text).toContain("legal-national-id | #0084575948");
    expect(text).toContain("legal-postal-code | #1111111111");
    expect(text.filter((t) => t.startsWith("legal-economic-code"))).toHaveLength(1);
    expect(text).toContain("invoice-tax-id(A1121604C220002F095011) | ");
  });

  it("shows the payments and the credit note with its refund lines", () => {
    expect(text).toContain("receipt-payment(payment-card) | 100 IRR");
    expect(text).toContain("invoice-refund(payment-cash) | 26 IRR");
    expect(text).toContain("invoice-refund(payment-card) | 100 IRR");
  });
});

describe("packing dots", () => {
  it("packs dark pixels as 1 bits, most significant first, rows padded to bytes", () => {
    // 10 × 2 pixels: row 0 black at x = 0 and x = 9, row 1 half-transparent black at x = 1.
    const w = 10;
    const rgba = new Uint8ClampedArray(w * 2 * 4).fill(255);
    const set = (x: number, y: number, a: number) => {
      const i = (y * w + x) * 4;
      rgba.set([0, 0, 0, a], i);
    };
    set(0, 0, 255);
    set(9, 0, 255);
    set(1, 1, 255);
    set(2, 1, 60); // mostly paper: white
    const bits = packBits(rgba, w, 2);
    expect(Array.from(bits)).toEqual([0b1000_0000, 0b0100_0000, 0b0100_0000, 0b0000_0000]);
    expect(toBase64(bits)).toBe(btoa(String.fromCharCode(...bits)));
  });
});
