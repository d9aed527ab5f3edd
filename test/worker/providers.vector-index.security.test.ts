import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LocalVectorIndex } from "../../worker/core/providers/local-vector-index";
import { type VectorizeBinding, VectorizeIndex } from "../../worker/core/providers/vectorize-index";

const index = () => new LocalVectorIndex(env.VECTOR_INDEX);
let counter = 0;
const freshNamespace = () => `security-${counter++}-${Date.now()}`;

describe("namespace isolation (local index)", () => {
  it("never lets one namespace see, filter into, or delete another's vectors", async () => {
    const tenantA = freshNamespace();
    const tenantB = freshNamespace();
    // The same ids in both namespaces: isolation must not depend on ids being unique.
    await index().upsert([
      { id: "shared-id", values: [1, 0], namespace: tenantA, metadata: { owner: "a" } },
      { id: "only-a", values: [0.9, 0.1], namespace: tenantA, metadata: { owner: "a" } },
      { id: "shared-id", values: [1, 0], namespace: tenantB, metadata: { owner: "b" } },
    ]);
    const fromB = await index().query([1, 0], { namespace: tenantB, topK: 100, returnMetadata: true });
    expect(fromB.matches.map((m) => [m.id, m.metadata?.owner])).toEqual([["shared-id", "b"]]);
    const filtered = await index().query([1, 0], { namespace: tenantB, topK: 100, filter: { owner: "a" } });
    expect(filtered.matches).toEqual([]);

    expect(await index().deleteByIds(["only-a", "shared-id"], tenantB)).toEqual({ count: 1 });
    const stillA = await index().query([1, 0], { namespace: tenantA, topK: 100 });
    expect(stillA.matches.map((m) => m.id).sort()).toEqual(["only-a", "shared-id"]);
  });

  it("does not treat prototype properties as metadata fields", async () => {
    const ns = freshNamespace();
    await index().upsert([{ id: "a", values: [1], namespace: ns, metadata: { k: "v" } }]);
    const q = async (filter: Record<string, string | { $ne: string }>) =>
      (await index().query([1], { namespace: ns, filter })).matches.length;
    expect(await q({ constructor: "function Object() { [native code] }" })).toBe(0);
    expect(await q({ toString: { $ne: "x" } })).toBe(1);
  });
});

describe("namespace isolation (Vectorize wrapper)", () => {
  function fakeVectorize() {
    const stored = new Map<string, VectorizeVector>();
    const deleted: string[][] = [];
    const binding: VectorizeBinding = {
      async upsert(vectors) {
        for (const v of vectors) stored.set(v.id, v);
        return { ids: vectors.map((v) => v.id), count: vectors.length };
      },
      async query() {
        return { matches: [], count: 0 };
      },
      async getByIds(ids) {
        return ids.flatMap((id) => (stored.has(id) ? [stored.get(id)!] : []));
      },
      async deleteByIds(ids) {
        deleted.push(ids);
        for (const id of ids) stored.delete(id);
        return { ids, count: ids.length };
      },
    };
    return { binding, stored, deleted };
  }

  it("only deletes ids that belong to the caller's namespace", async () => {
    const { binding, stored, deleted } = fakeVectorize();
    const vectorize = new VectorizeIndex(binding);
    await vectorize.upsert([
      { id: "a-1", values: [1, 0], namespace: "kb_a" },
      { id: "b-1", values: [1, 0], namespace: "kb_b" },
    ]);
    expect(await vectorize.deleteByIds(["a-1", "b-1", "missing"], "kb_a")).toEqual({ count: 1 });
    expect(deleted).toEqual([["a-1"]]);
    expect([...stored.keys()]).toEqual(["b-1"]);
    expect(await vectorize.deleteByIds(["b-1"], "kb_a")).toEqual({ count: 0 });
    expect(deleted).toHaveLength(1);
  });

  it("always scopes writes and queries to a namespace", async () => {
    const { binding, stored } = fakeVectorize();
    const seen: (VectorizeQueryOptions | undefined)[] = [];
    binding.query = async (_vector, options) => {
      seen.push(options);
      return { matches: [{ id: "x", score: 0.5 }], count: 1 };
    };
    const vectorize = new VectorizeIndex(binding);
    await vectorize.upsert([{ id: "no-ns", values: [1] }]);
    expect(stored.get("no-ns")?.namespace).toBe("default");
    const result = await vectorize.query([1], { topK: 500, returnMetadata: true, filter: { kb: "kb_a" } });
    expect(seen[0]).toEqual({
      topK: 20,
      namespace: "default",
      returnValues: false,
      returnMetadata: "all",
      filter: { kb: "kb_a" },
    });
    expect(result.matches).toEqual([{ id: "x", score: 0.5, namespace: "default" }]);
  });
});
