// What an edit changed in an agent's definition, for the audit trail and to skip versions that
// would change nothing. Lists (tools, knowledge bases) are told as added/removed; short values as
// from/to; long text (the system prompt) by its lengths only, so the trail stays readable.
import type { AgentDefinition } from "./schemas";

export type FieldChange =
  | { from: unknown; to: unknown }
  | { added: string[]; removed: string[] }
  | { from_length: number; to_length: number };

const LONG_TEXT = 200;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function definitionChanges(before: AgentDefinition, after: AgentDefinition): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const field of Object.keys(after) as (keyof AgentDefinition)[]) {
    const [a, b] = [before[field], after[field]];
    if (same(a, b)) continue;
    if (isStringList(a) && isStringList(b)) {
      const [from, to] = [new Set<string>(a), new Set<string>(b)];
      out[field] = { added: b.filter((x) => !from.has(x)), removed: a.filter((x) => !to.has(x)) };
    } else if (typeof a === "string" && typeof b === "string" && Math.max(a.length, b.length) > LONG_TEXT) {
      out[field] = { from_length: a.length, to_length: b.length };
    } else {
      out[field] = { from: a, to: b };
    }
  }
  return out;
}

const isStringList = (v: unknown): v is readonly string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
