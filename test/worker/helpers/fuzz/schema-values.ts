// Values for a JSON Schema from the OpenAPI document: valid ones (within every bound the
// schema states), boundary ones (at and just past those bounds) and malformed ones (wrong
// types, hostile strings). Only the keywords zod-openapi emits are understood; anything else
// falls back to a random JSON value, which is still a fair input to throw at a route.
import { HOSTILE_STRINGS, type Random } from "./random";

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  format?: string;
  default?: unknown;
  example?: unknown;
}

export type Mode = "valid" | "boundary" | "malformed";

/** Resolves `#/components/schemas/X` against the document. */
export type Resolve = (ref: string) => JsonSchema;

const MAX_DEPTH = 6;

function randomJson(r: Random, depth = 0): unknown {
  switch (r.int(0, depth > 2 ? 3 : 5)) {
    case 0:
      return null;
    case 1:
      return r.pick([true, false, 0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER]);
    case 2:
      return r.pick(HOSTILE_STRINGS);
    case 3:
      return r.string(r.int(0, 12));
    case 4:
      return Array.from({ length: r.int(0, 3) }, () => randomJson(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: r.int(0, 3) }, () => [
          r.pick(["name", "id", "__proto__", "x", "data", r.string(4)]),
          randomJson(r, depth + 1),
        ]),
      );
  }
}

function stringFor(r: Random, s: JsonSchema, mode: Mode): string {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Math.max(min, 40);
  if (mode === "boundary") {
    const lengths = [min, max, max + 1, Math.max(0, min - 1)];
    return "b".repeat(r.pick(lengths));
  }
  switch (s.format) {
    case "email":
      return `fuzz-${r.string(8)}@example.test`;
    case "uri":
    case "url":
      return r.pick([
        "https://docs.example.com/a",
        "http://127.0.0.1/",
        "file:///etc/passwd",
        `https://example.invalid/${r.string(6)}`,
      ]);
    case "date-time":
      return new Date(Date.UTC(2026, r.int(0, 11), r.int(1, 28))).toISOString();
    case "uuid":
      return `00000000-0000-4000-8000-${r.string(12, "0123456789abcdef")}`;
    default: {
      const length = r.int(min, Math.min(max, min + 24));
      return r.string(length, "abcdefghijklmnopqrstuvwxyz ABC0123456789-_.");
    }
  }
}

function numberFor(r: Random, s: JsonSchema, integer: boolean, mode: Mode): number {
  const lo =
    typeof s.minimum === "number" ? s.minimum : typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum + 1 : -1000;
  const hi =
    typeof s.maximum === "number" ? s.maximum : typeof s.exclusiveMaximum === "number" ? s.exclusiveMaximum - 1 : 1000;
  if (mode === "boundary") return r.pick([lo, hi, lo - 1, hi + 1, 0, integer ? hi : hi + 0.5, -0]);
  const n = lo + r.next() * (Math.min(hi, lo + 1000) - lo);
  return integer ? Math.round(n) : n;
}

/** A value for `schema` in `mode`; `mode` applies to this level, children mostly stay valid. */
export function valueFor(r: Random, schema: JsonSchema, resolve: Resolve, mode: Mode, depth = 0): unknown {
  let s = schema;
  if (s.$ref) s = resolve(s.$ref);
  if (depth > MAX_DEPTH) return null;
  if (mode === "malformed") return r.chance(0.5) ? r.pick(HOSTILE_STRINGS) : randomJson(r);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return mode === "boundary" && r.chance(0.5) ? `${String(r.pick(s.enum))}x` : r.pick(s.enum);
  if (s.allOf?.length) {
    const merged: JsonSchema = { type: "object", properties: {}, required: [] };
    for (const part of s.allOf) {
      const p = part.$ref ? resolve(part.$ref) : part;
      Object.assign(merged.properties as object, p.properties ?? {});
      merged.required?.push(...(p.required ?? []));
    }
    return valueFor(r, merged, resolve, mode, depth + 1);
  }
  const options = s.anyOf ?? s.oneOf;
  if (options?.length) return valueFor(r, r.pick(options), resolve, mode, depth + 1);
  const type = Array.isArray(s.type) ? r.pick(s.type) : (s.type ?? (s.properties ? "object" : undefined));
  const child = (c: JsonSchema) =>
    valueFor(r, c, resolve, r.chance(0.08) ? r.pick(["boundary", "malformed"] as const) : "valid", depth + 1);
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return r.chance(0.5);
    case "integer":
      return numberFor(r, s, true, mode);
    case "number":
      return numberFor(r, s, false, mode);
    case "string":
      return stringFor(r, s, mode);
    case "array": {
      const min = s.minItems ?? 0;
      const max = s.maxItems ?? min + 3;
      const length =
        mode === "boundary" ? r.pick([min, max, max + 1, Math.max(0, min - 1)]) : r.int(min, Math.min(max, min + 3));
      return Array.from({ length: Math.min(length, 200) }, () => (s.items ? child(s.items) : randomJson(r)));
    }
    case "object": {
      const out: Record<string, unknown> = {};
      const required = new Set(s.required ?? []);
      for (const [name, prop] of Object.entries(s.properties ?? {})) {
        // Boundary objects drop a required field now and then; valid ones keep every required one.
        if (required.has(name) ? mode === "boundary" && r.chance(0.2) : r.chance(0.5)) continue;
        out[name] = child(prop);
      }
      if (mode === "boundary" && r.chance(0.3))
        out[r.pick(["unexpected", "__proto__", "constructor", r.string(5)])] = randomJson(r);
      return out;
    }
    default:
      return randomJson(r, depth);
  }
}
