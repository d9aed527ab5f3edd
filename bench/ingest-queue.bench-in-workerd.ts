// The ingestion queue's own throughput, measured inside workerd (issue 18): N small text
// documents go in through the batch route (100 per request), then the real queue consumer
// (max_batch_size and max_batch_timeout from wrangler.toml) chunks, embeds and indexes them;
// the clock runs from the first upload until the progress endpoint reports every one ready.
// Prints `INGEST_QUEUE_BENCH {json}`: upload time, queue time and documents/s.
// Run: INGEST_BENCH_DOCS=300 npx vitest run -c bench/vitest.ingest-queue.config.mts

import { expect, inject, it } from "vitest";
import { textFiles, untilSettled, uploadBatch } from "../test/worker/knowledge.batch.helpers";
import { createKb, signedInUser } from "../test/worker/knowledge.helpers";

declare module "vitest" {
  // biome-ignore lint/suspicious/noExportsInTest: a module augmentation, not a test export
  export interface ProvidedContext {
    ingestBench: { documents: number };
  }
}

const { documents: DOCUMENTS } = inject("ingestBench");
const PER_REQUEST = 100;

it("measures how fast the ingestion queue makes uploaded documents ready", async () => {
  const me = await signedInUser();
  const kb = await createKb(me, { name: "Queue bench" });
  const files = textFiles(DOCUMENTS, "bench").map((f, i) => ({
    ...f,
    content: `${f.content} ${"Pressure distribution over a swept wing at transonic speed. ".repeat(8)} #${i}`,
  }));
  const started = performance.now();
  for (let i = 0; i < files.length; i += PER_REQUEST) {
    const res = await uploadBatch(me, kb.id, files.slice(i, i + PER_REQUEST));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary.refused).toBe(0);
  }
  const uploaded = performance.now();
  const status = await untilSettled(me, kb.id);
  const done = performance.now();
  expect(status.counts).toEqual({ queued: 0, processing: 0, ready: DOCUMENTS, failed: 0 });
  const seconds = (ms: number) => Math.round(ms) / 1000;
  console.log(
    `INGEST_QUEUE_BENCH ${JSON.stringify({
      documents: DOCUMENTS,
      upload_s: seconds(uploaded - started),
      total_s: seconds(done - started),
      documents_per_s: Math.round((DOCUMENTS / ((done - started) / 1000)) * 10) / 10,
      upload_documents_per_s: Math.round((DOCUMENTS / ((uploaded - started) / 1000)) * 10) / 10,
    })}`,
  );
});
