// Builders for the tests' sample data.
import type { ArgKind, Localized } from "./bindings";

/** A backend error or notice as the frontend receives it; each argument as [name, kind, value]. */
export function localized(code: string, message_key: string, ...args: [name: string, kind: ArgKind, value: string][]): Localized {
  return { code, message_key, args: args.map(([name, kind, value]) => ({ name, kind, value })) };
}
