import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LocalVectorIndex } from "../../worker/core/providers/local-vector-index";
import type { VectorFilterOp, VectorMetadata } from "../../worker/core/providers/types";

const index = () => new LocalVectorIndex(env.VECTOR_INDEX);
let counter = 0;
/** Every test gets its own namespace, so its Durable Object starts empty. */
const freshNamespace = () => `happy-${counter++}-${Date.now()}`;

/** Seeded generator, so the randomized consistency test fails the same way twice. */
function prng(seed: number) {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
}
const randomVector = (rnd: () => number, d: number) => Array.from({ length: d }, rnd);
const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => (n ? x / n : 0));
};
const cosine = (a: number[], b: number[]) => unit(a).reduce((s, x, i) => s + x * unit(b)[i]!, 0);

describe("VectorIndexStore (one namespace)", () => {
  it("answers nearest-first by cosine similarity, honouring topK", async () => {
    const ns = freshNamespace();
    await index().upsert([
      { id: "east", values: [1, 0, 0], namespace: ns },
      { id: "north-east", values: [1, 1, 0], namespace: ns },
      { id: "north", values: [0, 5, 0], namespace: ns },
      { id: "west", values: [-1, 0, 0], namespace: ns },
    ]);
    const { matches, count } = await index().query([2, 0, 0], { namespace: ns, topK: 3 });
    expect(count).toBe(3);
    expect(matches.map((m) => m.id)).toEqual(["east", "north-east", "north"]);
    expect(matches[0]!.score).toBeCloseTo(1, 6);
    expect(matches[1]!.score).toBeCloseTo(Math.SQRT1_2, 6);
    expect(matches[2]!.score).toBeCloseTo(0, 6);
    expect(matches.every((m) => m.namespace === ns && m.values === undefined && m.metadata === undefined)).toBe(true);
  });

  it("returns values and metadata only when asked", async () => {
    const ns = freshNamespace();
    await index().upsert([
      { id: "a", values: [0.5, 0.25, 2], namespace: ns, metadata: { title: "A", page: 3, public: true } },
    ]);
    const bare = await index().query([1, 1, 1], { namespace: ns });
    expect(bare.matches[0]).toEqual({ id: "a", score: expect.any(Number), namespace: ns });
    const full = await index().query([1, 1, 1], { namespace: ns, returnValues: true, returnMetadata: "all" });
    expect(full.matches[0]?.values).toEqual([0.5, 0.25, 2]);
    expect(full.matches[0]?.metadata).toEqual({ title: "A", page: 3, public: true });
    const indexed = await index().query([1, 1, 1], { namespace: ns, returnMetadata: "indexed" });
    expect(indexed.matches[0]?.metadata).toEqual({ title: "A", page: 3, public: true });
  });

  it("replaces a vector and its metadata when the id is upserted again", async () => {
    const ns = freshNamespace();
    await index().upsert([
      { id: "doc", values: [1, 0], namespace: ns, metadata: { v: 1 } },
      { id: "other", values: [0.9, 0.1], namespace: ns },
    ]);
    await index().upsert([{ id: "doc", values: [0, 1], namespace: ns, metadata: { v: 2 } }]);
    const { matches } = await index().query([0, 1], { namespace: ns, topK: 2, returnMetadata: true });
    expect(matches[0]).toMatchObject({ id: "doc", metadata: { v: 2 } });
    expect(matches[0]!.score).toBeCloseTo(1, 6);
    expect(await env.VECTOR_INDEX.getByName(ns).describe()).toEqual({ count: 2, dimensions: 2 });
  });

  it("keeps the last write when one batch repeats an id", async () => {
    const ns = freshNamespace();
    const result = await index().upsert([
      { id: "x", values: [1, 0], namespace: ns },
      { id: "x", values: [0, 1], namespace: ns },
    ]);
    expect(result.count).toBe(1);
    const { matches } = await index().query([0, 1], { namespace: ns, returnValues: true });
    expect(matches).toHaveLength(1);
    expect(matches[0]?.values).toEqual([0, 1]);
  });

  it("filters on metadata with implicit $eq, $eq, $ne, $in, $nin and ranges, before taking topK", async () => {
    const ns = freshNamespace();
    const docs: ({ id: string } & VectorMetadata)[] = [
      { id: "d1", kind: "pdf", year: 2021, lang: "en" },
      { id: "d2", kind: "pdf", year: 2023, lang: "de" },
      { id: "d3", kind: "html", year: 2024, lang: "en" },
      { id: "d4", kind: "md", year: 2020 },
    ];
    await index().upsert(docs.map(({ id, ...metadata }, i) => ({ id, values: [1, i / 10], namespace: ns, metadata })));
    const top1 = async (filter: Record<string, VectorFilterOp>) =>
      (await index().query([1, 0], { namespace: ns, topK: 1, filter })).matches.map((m) => m.id);
    const all = async (filter: Record<string, VectorFilterOp>) =>
      (await index().query([1, 0], { namespace: ns, topK: 10, filter })).matches.map((m) => m.id).sort();
    expect(await top1({ kind: "html" })).toEqual(["d3"]);
    expect(await all({ kind: { $eq: "pdf" } })).toEqual(["d1", "d2"]);
    expect(await all({ kind: { $ne: "pdf" } })).toEqual(["d3", "d4"]);
    expect(await all({ kind: { $in: ["md", "html"] } })).toEqual(["d3", "d4"]);
    expect(await all({ kind: { $nin: ["md", "html"] } })).toEqual(["d1", "d2"]);
    expect(await all({ year: { $gte: 2021, $lt: 2024 } })).toEqual(["d1", "d2"]);
    expect(await all({ kind: "pdf", lang: "en" })).toEqual(["d1"]);
    // A vector without the field satisfies only the negative operators.
    expect(await all({ lang: { $ne: "en" } })).toEqual(["d2", "d4"]);
    expect(await all({ lang: { $in: ["en", "de"] } })).toEqual(["d1", "d2", "d3"]);
    expect(await all({ kind: "docx" })).toEqual([]);
  });

  it("deletes by id and reports how many existed", async () => {
    const ns = freshNamespace();
    await index().upsert(["a", "b", "c"].map((id, i) => ({ id, values: [1, i], namespace: ns })));
    expect(await index().deleteByIds(["a", "c", "missing", "a"], ns)).toEqual({ count: 2 });
    const { matches } = await index().query([1, 0], { namespace: ns, topK: 10 });
    expect(matches.map((m) => m.id)).toEqual(["b"]);
    expect(await index().deleteByIds([], ns)).toEqual({ count: 0 });
  });

  it("caps topK the way Vectorize does: 100, or 20 with values or full metadata", async () => {
    const ns = freshNamespace();
    await index().upsert(Array.from({ length: 130 }, (_, i) => ({ id: `v${i}`, values: [1, i], namespace: ns })));
    expect((await index().query([1, 1], { namespace: ns, topK: 1000 })).count).toBe(100);
    expect((await index().query([1, 1], { namespace: ns, topK: 1000, returnMetadata: "all" })).count).toBe(20);
    expect((await index().query([1, 1], { namespace: ns, topK: 1000, returnValues: true })).count).toBe(20);
    expect((await index().query([1, 1], { namespace: ns })).count).toBe(5);
  });

  it("describes an empty index, and lets an emptied one take a new dimension", async () => {
    const ns = freshNamespace();
    const stub = env.VECTOR_INDEX.getByName(ns);
    expect(await stub.describe()).toEqual({ count: 0, dimensions: null });
    expect(await index().query([1, 2, 3], { namespace: ns })).toEqual({ matches: [], count: 0 });
    await index().upsert([{ id: "a", values: [1, 2, 3], namespace: ns }]);
    expect(await stub.describe()).toEqual({ count: 1, dimensions: 3 });
    await index().deleteByIds(["a"], ns);
    await index().upsert([{ id: "b", values: [1, 2], namespace: ns }]);
    expect(await stub.describe()).toEqual({ count: 1, dimensions: 2 });
    expect((await index().query([1, 2], { namespace: ns })).matches[0]?.id).toBe("b");
  });

  it("stores values compactly as Float32 BLOBs and keeps state across a restart", async () => {
    const ns = freshNamespace();
    await index().upsert([{ id: "kept", values: [0.1, 0.2, 0.3, 0.4], namespace: ns, metadata: { tag: "t" } }]);
    const stub = env.VECTOR_INDEX.getByName(ns);
    const before = await runInDurableObject(stub, (instance, state) => {
      const row = state.storage.sql.exec<{ vec: ArrayBuffer }>("SELECT vec FROM vectors WHERE id = 'kept'").one();
      expect(row.vec.byteLength).toBe(4 * 4);
      return instance;
    });
    // Abort the object so the next call builds a new instance whose cache starts empty.
    await runInDurableObject(stub, (_instance, state) => state.abort("restart for test")).catch(() => undefined);
    const fresh = env.VECTOR_INDEX.getByName(ns);
    const { matches } = await index().query([0.1, 0.2, 0.3, 0.4], {
      namespace: ns,
      returnValues: true,
      returnMetadata: true,
    });
    expect(matches[0]?.id).toBe("kept");
    expect(matches[0]?.score).toBeCloseTo(1, 6);
    expect(matches[0]?.metadata).toEqual({ tag: "t" });
    expect(matches[0]?.values?.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.1, 0.2, 0.3, 0.4]);
    const after = await runInDurableObject(fresh, (instance) => instance);
    expect(after).not.toBe(before);
  });

  it("keeps the in-memory matrix consistent with storage through replacements and deletes", async () => {
    const ns = freshNamespace();
    const rnd = prng(42);
    const d = 16;
    const truth = new Map<string, { values: number[]; group: number }>();
    const upsert = async (ids: string[]) => {
      const records = ids.map((id) => ({ id, values: randomVector(rnd, d), group: Math.floor((rnd() + 1) * 2) }));
      await index().upsert(
        records.map((r) => ({ id: r.id, values: r.values, namespace: ns, metadata: { group: r.group } })),
      );
      for (const r of records) truth.set(r.id, { values: r.values, group: r.group });
    };
    // Load the cache early so every later write goes through the in-memory update path.
    await upsert(Array.from({ length: 120 }, (_, i) => `v${i}`));
    await index().query(randomVector(rnd, d), { namespace: ns });
    await upsert(Array.from({ length: 40 }, (_, i) => `v${i * 3}`));
    const doomed = Array.from({ length: 50 }, (_, i) => `v${(i * 7) % 120}`);
    await index().deleteByIds(doomed, ns);
    for (const id of doomed) truth.delete(id);
    await upsert(Array.from({ length: 30 }, (_, i) => `w${i}`));

    const expectMatchesTruth = async () => {
      for (let q = 0; q < 5; q++) {
        const query = randomVector(rnd, d);
        const group = q % 2;
        const expected = [...truth.entries()]
          .filter(([, v]) => v.group === group)
          .map(([id, v]) => ({ id, score: cosine(query, v.values) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 10);
        const { matches } = await index().query(query, { namespace: ns, topK: 10, filter: { group } });
        expect(matches.map((m) => m.id)).toEqual(expected.map((e) => e.id));
        for (const [i, m] of matches.entries()) expect(m.score).toBeCloseTo(expected[i]!.score, 4);
      }
      expect((await env.VECTOR_INDEX.getByName(ns).describe()).count).toBe(truth.size);
    };
    await expectMatchesTruth();
    // The same answers after a restart prove storage and cache agreed.
    await runInDurableObject(env.VECTOR_INDEX.getByName(ns), (_i, state) => state.abort("restart for test")).catch(
      () => undefined,
    );
    await expectMatchesTruth();
  });

  it("scores a query with few non-zero dimensions exactly like a dense one (hashed embeddings)", async () => {
    const ns = freshNamespace();
    const rnd = prng(7);
    const d = 64;
    const stored = Array.from({ length: 300 }, (_, i) => ({ id: `s${i}`, values: randomVector(rnd, d) }));
    await index().upsert(stored.map((s) => ({ ...s, namespace: ns })));
    for (const nonZero of [1, 5, 16, 40, 64]) {
      const query = new Array<number>(d).fill(0);
      for (let k = 0; k < nonZero; k++) query[(k * 37) % d] = rnd();
      const expected = stored
        .map((s) => ({ id: s.id, score: cosine(query, s.values) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, 20);
      const { matches } = await index().query(query, { namespace: ns, topK: 20 });
      expect(matches.map((m) => m.id)).toEqual(expected.map((e) => e.id));
      for (const [i, m] of matches.entries()) expect(m.score).toBeCloseTo(expected[i]!.score, 5);
    }
  });
});

describe("LocalVectorIndex routing", () => {
  it("groups one upsert call by namespace and defaults to the 'default' namespace", async () => {
    const a = freshNamespace();
    const b = freshNamespace();
    const result = await index().upsert([
      { id: "1", values: [1, 0], namespace: a },
      { id: "2", values: [1, 0], namespace: b },
      { id: "3", values: [0, 1], namespace: a },
      { id: "default-only", values: [7, 7, 7] },
    ]);
    expect(result.count).toBe(4);
    expect(await env.VECTOR_INDEX.getByName(a).describe()).toEqual({ count: 2, dimensions: 2 });
    expect(await env.VECTOR_INDEX.getByName(b).describe()).toEqual({ count: 1, dimensions: 2 });
    const fallback = await index().query([7, 7, 7]);
    expect(fallback.matches).toEqual([{ id: "default-only", score: expect.any(Number), namespace: "default" }]);
  });

  it("splits a large upsert into several RPC batches", async () => {
    const ns = freshNamespace();
    const records = Array.from({ length: 2500 }, (_, i) => ({
      id: `r${i}`,
      values: [1, i % 13, i % 7],
      namespace: ns,
    }));
    expect(await index().upsert(records)).toEqual({ count: 2500 });
    expect((await env.VECTOR_INDEX.getByName(ns).describe()).count).toBe(2500);
  });
});

describe("VectorIndexStore speed", () => {
  it("answers queries over 20k 384-dimension vectors from memory, not by scanning SQLite", async () => {
    const ns = freshNamespace();
    const rnd = prng(7);
    for (let start = 0; start < 20_000; start += 1000) {
      const batch = Array.from({ length: 1000 }, (_, i) => ({
        id: `v${start + i}`,
        values: randomVector(rnd, 384),
        namespace: ns,
        metadata: { shard: (start + i) % 4 },
      }));
      await index().upsert(batch);
    }
    await index().query(randomVector(rnd, 384), { namespace: ns }); // loads the matrix once
    const timings: number[] = [];
    for (let q = 0; q < 21; q++) {
      const started = performance.now();
      const { matches } = await index().query(randomVector(rnd, 384), {
        namespace: ns,
        topK: 10,
        filter: q % 2 ? { shard: 1 } : undefined,
      });
      timings.push(performance.now() - started);
      expect(matches).toHaveLength(10);
    }
    timings.sort((a, b) => a - b);
    // About 10 ms here; the bound is loose because test files share two cores.
    expect(timings[10]).toBeLessThan(50);
  }, 60_000);
});
