// The vector index used when Vectorize is not bound: one VectorIndexStore Durable Object per
// namespace, reached by name. Separate objects make namespace isolation structural — a query
// can only ever see the vectors of the object it is sent to.
import type { VectorIndexStore } from "../../../durable-objects/vector-index-store";
import { VectorIndexError } from "./errors";
import type { StoredVector, VectorIndex, VectorMatch, VectorQueryOptions, VectorRecord } from "./types";
import { checkNamespace } from "./vector-limits";

/** Keeps each RPC message well under the 32 MiB limit for 1536-dimension vectors. */
const UPSERT_BATCH = 1000;

/** DO RPC drops error classes; turn the index's own errors back into VectorIndexError. */
async function rethrowing<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw VectorIndexError.fromRemote(err) ?? err;
  }
}

export class LocalVectorIndex implements VectorIndex {
  constructor(private readonly namespaces: DurableObjectNamespace<VectorIndexStore>) {}

  private store(namespace: string) {
    return this.namespaces.getByName(namespace);
  }

  async upsert(vectors: VectorRecord[]): Promise<{ count: number }> {
    const groups = new Map<string, StoredVector[]>();
    for (const v of vectors) {
      const ns = checkNamespace(v.namespace);
      const group = groups.get(ns) ?? [];
      group.push(
        v.metadata === undefined
          ? { id: v.id, values: v.values }
          : { id: v.id, values: v.values, metadata: v.metadata },
      );
      groups.set(ns, group);
    }
    let count = 0;
    for (const [ns, group] of groups) {
      for (let i = 0; i < group.length; i += UPSERT_BATCH) {
        const batch = group.slice(i, i + UPSERT_BATCH);
        count += (await rethrowing(() => this.store(ns).upsert(batch))).count;
      }
    }
    return { count };
  }

  async query(vector: number[], options: VectorQueryOptions = {}): Promise<{ matches: VectorMatch[]; count: number }> {
    const { namespace, ...rest } = options;
    const ns = checkNamespace(namespace);
    const result = await rethrowing(() => this.store(ns).query(vector, rest));
    const matches = result.matches.map((m) => ({ ...m, namespace: ns }));
    return { matches, count: matches.length };
  }

  async deleteByIds(ids: string[], namespace?: string): Promise<{ count: number }> {
    const ns = checkNamespace(namespace);
    if (ids.length === 0) return { count: 0 };
    return rethrowing(() => this.store(ns).deleteByIds(ids));
  }
}
