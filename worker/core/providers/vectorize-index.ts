// The production vector index: the Vectorize binding behind the same interface as the local one.
// Vectorize ids are global to the index (a namespace is only a partition key), so deletes check
// the namespace first — a caller can never delete another namespace's vector by id. Upserts
// trust the caller's ids to be unique across namespaces (the platform's ids are random).

import type { VectorIndex, VectorMatch, VectorMetadata, VectorQueryOptions, VectorRecord } from "./types";
import { compileFilter } from "./vector-filter";
import { checkId, checkMetadata, checkNamespace, effectiveTopK } from "./vector-limits";

/** Vectorize's per-call upsert limit from a Worker. */
const UPSERT_BATCH = 1000;
const GET_BATCH = 20;

/** The calls used here; both the V1 `VectorizeIndex` and V2 `Vectorize` bindings provide them. */
export interface VectorizeBinding {
  upsert(vectors: VectorizeVector[]): Promise<unknown>;
  query(vector: number[], options?: VectorizeQueryOptions): Promise<VectorizeMatches>;
  getByIds(ids: string[]): Promise<VectorizeVector[]>;
  deleteByIds(ids: string[]): Promise<unknown>;
}

export class VectorizeIndex implements VectorIndex {
  constructor(private readonly binding: VectorizeBinding) {}

  async upsert(vectors: VectorRecord[]): Promise<{ count: number }> {
    const prepared: VectorizeVector[] = vectors.map((v) => {
      const id = checkId(v.id);
      checkMetadata(id, v.metadata);
      const out: VectorizeVector = { id, values: v.values, namespace: checkNamespace(v.namespace) };
      if (v.metadata) out.metadata = v.metadata;
      return out;
    });
    for (let i = 0; i < prepared.length; i += UPSERT_BATCH)
      await this.binding.upsert(prepared.slice(i, i + UPSERT_BATCH));
    return { count: prepared.length };
  }

  async query(vector: number[], options: VectorQueryOptions = {}): Promise<{ matches: VectorMatch[]; count: number }> {
    const namespace = checkNamespace(options.namespace);
    const query: VectorizeQueryOptions = {
      topK: effectiveTopK(options),
      namespace,
      returnValues: options.returnValues ?? false,
      returnMetadata: options.returnMetadata === true ? "all" : options.returnMetadata || "none",
    };
    // Validated here too, so a filter the local index rejects is not silently sent upstream.
    if (compileFilter(options.filter)) query.filter = options.filter as VectorizeVectorMetadataFilter;
    const result = await this.binding.query(vector, query);
    const matches = result.matches.map((m) => {
      const match: VectorMatch = { id: m.id, score: m.score, namespace };
      if (m.values) match.values = Array.from(m.values);
      if (m.metadata) match.metadata = m.metadata as VectorMetadata;
      return match;
    });
    return { matches, count: matches.length };
  }

  async deleteByIds(ids: string[], namespace?: string): Promise<{ count: number }> {
    const ns = checkNamespace(namespace);
    const unique = [...new Set(ids.map(checkId))];
    const owned: string[] = [];
    for (let i = 0; i < unique.length; i += GET_BATCH) {
      const found = await this.binding.getByIds(unique.slice(i, i + GET_BATCH));
      for (const v of found) if ((v.namespace ?? "") === ns) owned.push(v.id);
    }
    if (owned.length) await this.binding.deleteByIds(owned);
    return { count: owned.length };
  }
}
