// Input checks shared by the local index and the Vectorize wrapper. The limits are Vectorize's
// own (developers.cloudflare.com/vectorize/platform/limits), so data that works offline also
// fits in production.
import { VectorIndexError } from "./errors";
import type { VectorMetadata, VectorQueryOptions } from "./types";

export const MAX_ID_BYTES = 64;
export const MAX_NAMESPACE_BYTES = 64;
export const MAX_METADATA_BYTES = 10 * 1024;
export const MAX_DIMENSIONS = 1536;
export const DEFAULT_TOP_K = 5;
export const MAX_TOP_K = 100;
/** Vectorize's lower cap when values or full metadata are returned. */
export const MAX_TOP_K_WITH_DATA = 20;
export const DEFAULT_NAMESPACE = "default";

const bytes = (s: string) => new TextEncoder().encode(s).length;

export function checkId(id: unknown): string {
  if (typeof id !== "string" || id.length === 0 || bytes(id) > MAX_ID_BYTES) {
    throw new VectorIndexError("invalid_id", `vector id must be a non-empty string of at most ${MAX_ID_BYTES} bytes`);
  }
  return id;
}

export function checkNamespace(namespace: string | undefined): string {
  const ns = namespace ?? DEFAULT_NAMESPACE;
  if (typeof ns !== "string" || ns.length === 0 || bytes(ns) > MAX_NAMESPACE_BYTES) {
    throw new VectorIndexError(
      "invalid_namespace",
      `namespace must be a non-empty string of at most ${MAX_NAMESPACE_BYTES} bytes`,
    );
  }
  return ns;
}

/** Finite numbers only, 1..MAX_DIMENSIONS of them, and exactly `dimensions` when the index has one. */
export function checkValues(label: string, values: ArrayLike<number>, dimensions: number | null): Float32Array {
  const length = values?.length;
  if (typeof length !== "number" || length < 1 || length > MAX_DIMENSIONS) {
    throw new VectorIndexError("invalid_vector", `${label} must have between 1 and ${MAX_DIMENSIONS} values`);
  }
  if (dimensions !== null && length !== dimensions) {
    throw new VectorIndexError(
      "dimension_mismatch",
      `${label} has ${length} dimensions; this index holds ${dimensions}-dimensional vectors`,
    );
  }
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new VectorIndexError("invalid_vector", `${label} has a non-finite value at position ${i}`);
    }
    out[i] = v;
  }
  return out;
}

/** Returns the metadata serialised for storage, or null when there is none. */
export function checkMetadata(id: string, metadata: VectorMetadata | undefined): string | null {
  if (metadata === undefined) return null;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw new VectorIndexError("invalid_metadata", `metadata of vector ${id} must be an object`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    const t = typeof value;
    if (t !== "string" && t !== "boolean" && !(t === "number" && Number.isFinite(value))) {
      throw new VectorIndexError(
        "invalid_metadata",
        `metadata "${key}" of vector ${id} must be a string, finite number or boolean`,
      );
    }
  }
  const json = JSON.stringify(metadata);
  if (bytes(json) > MAX_METADATA_BYTES) {
    throw new VectorIndexError("invalid_metadata", `metadata of vector ${id} exceeds ${MAX_METADATA_BYTES} bytes`);
  }
  return json;
}

/** topK clamped the way Vectorize caps it, so a query means the same thing everywhere. */
export function effectiveTopK(options: VectorQueryOptions = {}): number {
  const withData = options.returnValues === true || options.returnMetadata === true || options.returnMetadata === "all";
  const cap = withData ? MAX_TOP_K_WITH_DATA : MAX_TOP_K;
  const requested = options.topK ?? DEFAULT_TOP_K;
  if (!Number.isFinite(requested)) return DEFAULT_TOP_K;
  return Math.min(cap, Math.max(1, Math.floor(requested)));
}

export function wantsMetadata(options: VectorQueryOptions = {}): boolean {
  const r = options.returnMetadata;
  return r === true || r === "all" || r === "indexed";
}
