// Vectorize's metadata filter, evaluated in memory: `{ field: value }` is `$eq`; an operator
// object must satisfy every operator it lists; all fields must match. A field the vector lacks
// satisfies only `$ne` and `$nin`.
import { VectorIndexError } from "./errors";
import type { VectorFilterOp, VectorMetadata, VectorMetadataValue } from "./types";

export type MetadataPredicate = (metadata: VectorMetadata | undefined) => boolean;
type Test = (value: VectorMetadataValue | undefined) => boolean;

const isScalar = (v: unknown): v is VectorMetadataValue =>
  typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

const ordered = (v: unknown): v is number | string =>
  typeof v === "string" || (typeof v === "number" && Number.isFinite(v));

function bad(field: string, why: string): never {
  throw new VectorIndexError("invalid_filter", `filter on "${field}": ${why}`);
}

function compare(field: string, op: string, bound: unknown): Test {
  if (!ordered(bound)) bad(field, `${op} needs a number or string`);
  // Range operators compare like with like; a string never orders against a number.
  const sameType = (v: VectorMetadataValue | undefined): v is number | string => typeof v === typeof bound;
  switch (op) {
    case "$lt":
      return (v) => sameType(v) && v < bound;
    case "$lte":
      return (v) => sameType(v) && v <= bound;
    case "$gt":
      return (v) => sameType(v) && v > bound;
    default:
      return (v) => sameType(v) && v >= bound;
  }
}

function list(field: string, op: string, values: unknown): VectorMetadataValue[] {
  if (!Array.isArray(values) || !values.every(isScalar))
    bad(field, `${op} needs an array of strings, numbers or booleans`);
  return values;
}

function compileOp(field: string, condition: VectorFilterOp): Test[] {
  if (isScalar(condition)) return [(v) => v === condition];
  if (typeof condition !== "object" || condition === null || Array.isArray(condition))
    bad(field, "expected a value or an operator object");
  const tests: Test[] = [];
  for (const [op, operand] of Object.entries(condition)) {
    if (op === "$eq" || op === "$ne") {
      if (!isScalar(operand)) bad(field, `${op} needs a string, number or boolean`);
      tests.push(op === "$eq" ? (v) => v === operand : (v) => v !== operand);
    } else if (op === "$in" || op === "$nin") {
      const set = new Set(list(field, op, operand));
      tests.push(op === "$in" ? (v) => v !== undefined && set.has(v) : (v) => v === undefined || !set.has(v));
    } else if (op === "$lt" || op === "$lte" || op === "$gt" || op === "$gte") {
      tests.push(compare(field, op, operand));
    } else {
      bad(field, `unsupported operator ${op}`);
    }
  }
  if (tests.length === 0) bad(field, "operator object is empty");
  return tests;
}

/** Validates the filter once and returns a fast predicate; undefined when there is nothing to filter. */
export function compileFilter(filter: Record<string, VectorFilterOp> | undefined): MetadataPredicate | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
    throw new VectorIndexError("invalid_filter", "filter must be an object of field conditions");
  }
  const clauses = Object.entries(filter).map(([field, condition]) => ({ field, tests: compileOp(field, condition) }));
  if (clauses.length === 0) return undefined;
  return (metadata) =>
    clauses.every(({ field, tests }) => {
      // Own fields only: "constructor" in a filter must not match Object.prototype.
      const value = metadata && Object.hasOwn(metadata, field) ? metadata[field] : undefined;
      return tests.every((t) => t(value));
    });
}
