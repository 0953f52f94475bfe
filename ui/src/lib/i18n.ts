// Messages from the same Fluent files the Rust side uses (locales/ at the
// repository root), bundled into the app at build time.
import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";
import type { DisplayUnit, Lang, Localized } from "./bindings";
import { formatMoney, formatNumber } from "./format";

const sources = import.meta.glob("../../../locales/*/*.ftl", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

function buildBundle(lang: Lang): FluentBundle {
  // No FSI/PDI marks: the markup isolates values itself (<bdi>), and the
  // marks would end up in copied text and test assertions.
  const bundle = new FluentBundle(lang, { useIsolating: false });
  for (const [path, text] of Object.entries(sources)) {
    if (!path.includes(`/locales/${lang}/`)) continue;
    const errors = bundle.addResource(new FluentResource(text));
    if (errors.length) throw new Error(`${path}: ${errors.map(String).join("; ")}`);
  }
  return bundle;
}

const bundles: Record<Lang, FluentBundle> = { fa: buildBundle("fa"), en: buildBundle("en") };

export type Args = Record<string, string | number>;

/** True when `id` is a message of `lang`. */
export function hasMessage(lang: Lang, id: string): boolean {
  return bundles[lang].hasMessage(id);
}

/** The text of message `id` (or `id.attr`); the id itself when missing, so a gap is visible, never blank. */
export function translate(lang: Lang, id: string, args: Args = {}): string {
  const [msgId, attr] = id.split(".", 2) as [string, string | undefined];
  const bundle = bundles[lang];
  const msg = bundle.getMessage(msgId);
  const pattern = attr ? msg?.attributes[attr] : msg?.value;
  if (!pattern) return id;
  const errors: Error[] = [];
  const vars: Record<string, FluentVariable> = {};
  for (const [k, v] of Object.entries(args)) vars[k] = v;
  return bundle.formatPattern(pattern, vars, errors);
}

/** A typed message from Rust (an error, a warning): args formatted in the reader's digits and unit. */
export function localize(lang: Lang, unit: DisplayUnit, m: Localized): string {
  const args: Args = {};
  for (const a of m.args) {
    switch (a.kind) {
      case "money":
        args[a.name] = `${formatMoney(a.value, unit, lang)} ${translate(lang, `unit-${unit}`)}`;
        break;
      case "number":
        args[a.name] = formatNumber(a.value, lang);
        break;
      case "message":
        args[a.name] = translate(lang, a.value);
        break;
      default:
        args[a.name] = a.value;
    }
  }
  if (hasMessage(lang, m.message_key)) return translate(lang, m.message_key, args);
  // Never show a raw code alone: the generic message names it.
  return translate(lang, "error-unknown", { code: m.code });
}

/** Any rejection of a command as a readable message. Tauri rejects with our AppError; anything else is internal. */
export function errorText(lang: Lang, unit: DisplayUnit, e: unknown): string {
  if (e && typeof e === "object" && "code" in e && "message_key" in e && "args" in e) {
    return localize(lang, unit, e as Localized);
  }
  return translate(lang, "error-unknown", { code: "internal" });
}
