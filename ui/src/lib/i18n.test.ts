import { beforeAll, describe, expect, it } from "vitest";
import { FluentResource } from "@fluent/bundle";
import { localized } from "./test-fixtures";

// i18n.ts builds its bundles on import and throws on a broken or clashing
// file; importing it late lets the file checks below say which one.
let i18n: typeof import("./i18n");
async function loadI18n() {
  i18n = await import("./i18n");
}
const hasMessage: typeof import("./i18n").hasMessage = (...a) => i18n.hasMessage(...a);
const translate: typeof import("./i18n").translate = (...a) => i18n.translate(...a);
const localize: typeof import("./i18n").localize = (...a) => i18n.localize(...a);
const errorText: typeof import("./i18n").errorText = (...a) => i18n.errorText(...a);

// The same files i18n.ts bundles, read raw: "../../../locales/fa/common.ftl" → text.
const sources = import.meta.glob("../../../locales/*/*.ftl", { query: "?raw", import: "default", eager: true }) as Record<
  string,
  string
>;

function source(lang: string, file: string): string {
  const text = sources[`../../../locales/${lang}/${file}`];
  if (text === undefined) throw new Error(`no locales/${lang}/${file}`);
  return text;
}

/** Message ids of one .ftl file (terms, starting with "-", are private to a language). */
function ids(lang: string, file: string): string[] {
  return new FluentResource(source(lang, file)).body.map((m) => m.id).filter((id) => !id.startsWith("-"));
}

function files(lang: string): string[] {
  const prefix = `../../../locales/${lang}/`;
  return Object.keys(sources)
    .filter((p) => p.startsWith(prefix))
    .map((p) => p.slice(prefix.length))
    .sort();
}

describe("locale files", () => {
  it("exist under the same names in fa and en", () => {
    expect(files("fa")).toEqual(files("en"));
    expect(files("fa")).toEqual(expect.arrayContaining(["common.ftl", "errors.ftl", "ui-sale.ftl"]));
  });

  for (const file of files("fa")) {
    it(`${file} has the same message ids in fa and en`, () => {
      expect(ids("fa", file).sort()).toEqual(ids("en", file).sort());
    });
  }

  it("define each id once per language, across all files", () => {
    for (const lang of ["fa", "en"]) {
      const seen = new Map<string, string>();
      const twice: string[] = [];
      for (const file of files(lang)) {
        for (const id of ids(lang, file)) {
          if (seen.has(id)) twice.push(`${lang}: ${id} in ${seen.get(id)} and ${file}`);
          seen.set(id, file);
        }
      }
      expect(twice).toEqual([]);
    }
  });

  it("are all loaded into the bundles", async () => {
    await loadI18n();
    for (const lang of ["fa", "en"] as const) {
      for (const file of files(lang)) {
        for (const id of ids(lang, file)) expect(hasMessage(lang, id), `${lang} ${id}`).toBe(true);
      }
    }
  });
});

describe("translate", () => {
  beforeAll(loadI18n);

  it("gives the language's text, with arguments and no isolation marks", () => {
    expect(translate("fa", "walk-in-customer")).toBe("مشتری گذری");
    expect(translate("en", "walk-in-customer")).toBe("Walk-in customer");
    expect(translate("fa", "invoice-grams", { weight: "۵٫۲۳۰" })).toBe("۵٫۲۳۰ گرم");
    expect(translate("en", "invoice-grams", { weight: "5.230" })).not.toMatch(/[\u2068\u2069]/);
  });
  it("shows the id of a missing message rather than nothing", () => {
    expect(translate("en", "no-such-message")).toBe("no-such-message");
    expect(translate("en", "walk-in-customer.no-such-attr")).toBe("walk-in-customer.no-such-attr");
  });
});

describe("localize", () => {
  beforeAll(loadI18n);

  const short = localized(
    "payments_short",
    "error-payments-short",
    ["paid", "money", "1000000"],
    ["due", "money", "1234567"],
    ["short", "money", "234567"],
  );

  it("formats money arguments in Persian digits with the unit", () => {
    const fa = localize("fa", "rial", short);
    expect(fa).toContain("۱٬۰۰۰٬۰۰۰ ریال");
    expect(fa).toContain("۱٬۲۳۴٬۵۶۷ ریال");
    expect(fa).toContain("۲۳۴٬۵۶۷ ریال");
    expect(fa).not.toMatch(/[0-9]/);
  });
  it("converts money to Toman when that is the display unit", () => {
    expect(localize("fa", "toman", short)).toContain("۱۲۳٬۴۵۶٫۷ تومان");
    expect(localize("en", "toman", short)).toBe(
      "The payments (100,000 Toman) do not cover the amount due (123,456.7 Toman); 23,456.7 Toman short.",
    );
  });
  it("formats numbers and resolves message arguments", () => {
    const stale = localized("stale_price", "alert-stale-price", ["hours", "number", "1250"], ["limit", "number", "12"]);
    expect(localize("fa", "rial", stale)).toContain("۱٬۲۵۰ ساعت");
    const notInStock = localized(
      "item_not_in_stock",
      "error-item-not-in-stock",
      ["tag", "text", "R-1001"],
      ["status", "message", "item-status-sold"],
    );
    expect(localize("fa", "rial", notInStock)).toBe("کالای «R-1001» موجود نیست (وضعیت: فروخته‌شده).");
    expect(localize("en", "rial", notInStock)).toBe('Item "R-1001" is not in stock (status: Sold).');
  });
  it("falls back to error-unknown with the code for an unknown key", () => {
    const m = localized("brand_new", "error-brand-new");
    expect(localize("en", "rial", m)).toBe("Unexpected error (brand_new). Saved data is untouched; please try again.");
    expect(localize("fa", "rial", m)).toContain("(brand_new)");
  });
});

describe("errorText", () => {
  beforeAll(loadI18n);

  it("localizes an AppError and hides anything else", () => {
    const e = localized("item_not_found", "error-item-not-found", ["tag", "text", "999"]);
    expect(errorText("en", "rial", e)).toBe('No item with tag or barcode "999".');
    const internal = errorText("en", "rial", new Error("at Object.<anonymous> (secret.rs:12)"));
    expect(internal).toBe("Unexpected error (internal). Saved data is untouched; please try again.");
    expect(errorText("fa", "rial", "boom")).not.toContain("boom");
    expect(errorText("fa", "rial", null)).toContain("internal");
  });
});
