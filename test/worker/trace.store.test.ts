// The trace store's write path under load: kept segments finishing within one window share a
// single D1 batch (their span rows pooled into shared INSERTs), a window that fills a batch is
// written at once, and every span of every segment reaches D1 either way.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getConfig } from "../../worker/core/config";
import { storeTrace } from "../../worker/core/trace/sink";
import { runSegment, withSpan } from "../../worker/core/trace/tracer";
import { storedTrace } from "./helpers/traces";

/** env.DB, counting the statements of each batch it is handed. */
function countingDb() {
  const batches: number[] = [];
  const DB = {
    prepare: (sql: string) => env.DB.prepare(sql),
    batch: (statements: D1PreparedStatement[]) => {
      batches.push(statements.length);
      return env.DB.batch(statements);
    },
  } as unknown as D1Database;
  return { DB, batches };
}

/** A finished, sampled segment with `children` spans under its root, handed to the store. */
async function store(db: D1Database, children: number): Promise<{ traceId: string; stored: Promise<void> }> {
  let rootSpanId = "";
  const { segment, result } = runSegment(
    "GET /store-test",
    "server",
    undefined,
    undefined,
    async (root) => {
      rootSpanId = root.context.spanId;
      for (let i = 0; i < children; i++) await withSpan(`child ${i}`, { index: i }, () => undefined);
    },
    { sampleRate: 1 },
  );
  await result;
  const stored = storeTrace(
    { DB: db },
    { ...getConfig(env), TRACE_BATCH_MS: 500 },
    { segment, rootSpanId, entry: true },
  );
  return { traceId: segment.context.traceId, stored };
}

describe("trace store", () => {
  it("writes segments finishing 100 ms apart in one D1 batch, with all their spans", async () => {
    const { DB, batches } = countingDb();
    const first = await store(DB, 12);
    await new Promise((r) => setTimeout(r, 100));
    const second = await store(DB, 3);
    await Promise.all([first.stored, second.stored]);
    // Two upserts and 17 span rows pooled into two INSERTs (9 rows each at most).
    expect(batches).toEqual([4]);
    expect((await storedTrace(first.traceId)).spans).toHaveLength(13);
    const { trace, spans } = await storedTrace(second.traceId);
    expect(spans).toHaveLength(4);
    expect(trace).toMatchObject({ name: "GET /store-test", span_count: 4, kept_because: "sampled" });
  });

  it("writes a window at once when it fills a batch", async () => {
    const { DB, batches } = countingDb();
    const segments: { traceId: string; stored: Promise<void> }[] = [];
    for (let i = 0; i < 95; i++) segments.push(await store(DB, 0));
    // 95 upserts and 11 span INSERTs: the window went to D1 without waiting out its timer.
    expect(batches.length).toBe(1);
    await Promise.all(segments.map((s) => s.stored));
    expect(batches.reduce((n, b) => n + b, 0)).toBe(95 + 11);
    for (const segment of [segments[0], segments[94]])
      expect((await storedTrace(segment?.traceId ?? "")).spans).toHaveLength(1);
  });
});
