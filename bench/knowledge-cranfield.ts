// Knowledge retrieval benchmark on the Cranfield collection, through the public API of a local
// `wrangler dev` (fresh --persist-to directory, migrations applied, bootstrap admin from --var):
//   1. ingest the 1,400 abstracts (POST .../documents, JSON) and wait until every one is ready
//      through the queue consumer: documents/s and chunks/s;
//   2. run the 225 queries in each mode (lexical, vector, hybrid; top_k 10): nDCG@10, recall@10,
//      MRR@10 against cranqrel, and search latency p50/p95 (client side, through wrangler dev);
//   3. at 10x: a fresh knowledge base of 14,000 documents (each abstract plus nine copies marked
//      "copy k", uploaded through the same API and ingestion path), then the same queries for
//      latency (quality is not scored there: the copies make the judgements meaningless).
// Run: node --import tsx bench/knowledge-cranfield.ts [--scale 10] [--concurrency 6] [--no-write]
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { CRANFIELD_DIR, type CranDoc, loadCranfield, type Metrics, mean, percentile, score } from "./knowledge-dataset";
import {
  BENCH_ADMIN,
  benchAgainst,
  type Ingestion,
  ingest,
  PlatformApi,
  startBenchPlatform,
  waitReady,
} from "./lib/platform-api";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "10" },
    concurrency: { type: "string", default: "6" },
    dataset: { type: "string", default: CRANFIELD_DIR },
    "no-write": { type: "boolean", default: false },
  },
});
const scale = Number(values.scale);
const concurrency = Number(values.concurrency);
const MODES = ["lexical", "vector", "hybrid"] as const;
/** wrangler dev's output, kept for diagnosis. */
const LOG_FILE = "/tmp/knowledge-bench-wrangler.log";
type Mode = (typeof MODES)[number];

interface Hit {
  citation: { document_name: string };
}

const { docs, queries, qrels } = loadCranfield(values.dataset);
const loadStart = loadavg()[0]?.toFixed(1);
const platform = await startBenchPlatform({
  RATE_LIMITS: "read=1000000000/60,write=1000000000/60",
  // Production's log level: under wrangler dev every access-log line is piped through Node.
  LOG_LEVEL: "warn",
});

const client = new PlatformApi(platform.url, BENCH_ADMIN);
const api = <T>(method: string, path: string, body?: unknown) => client.call<T>(method, path, body);

const docText = (d: CranDoc) => d.text || d.title || `document ${d.id}`;

interface ModeResult {
  metrics: Metrics;
  latencies: number[];
  serverMs: number[];
}

async function runQueries(kbId: string, mode: Mode): Promise<ModeResult> {
  const per: Metrics[] = [];
  const latencies: number[] = [];
  const serverMs: number[] = [];
  for (const [i, query] of queries.entries()) {
    const t0 = performance.now();
    const res = await api<{ data: Hit[]; took_ms: number }>("POST", `/api/knowledge-bases/${kbId}/search`, {
      query,
      mode,
      top_k: 10,
    });
    latencies.push(performance.now() - t0);
    serverMs.push(res.took_ms);
    // A document can surface through several chunks; rank documents by their best chunk.
    const ranked = [...new Set(res.data.map((h) => Number(/^cran-(\d+)/.exec(h.citation.document_name)?.[1])))];
    per.push(score(ranked, qrels.gains.get(i + 1) ?? new Map()));
  }
  return { metrics: mean(per), latencies, serverMs };
}

const f3 = (x: number) => x.toFixed(3);
const f1 = (x: number) => x.toFixed(1);

await benchAgainst(platform, LOG_FILE, async () => {
  await client.login();
  const kb1 = await api<{ id: string }>("POST", "/api/knowledge-bases", { name: "Cranfield" });
  const base = docs.map((d) => ({ name: `cran-${d.id}.txt`, content: docText(d) }));
  const ingest1 = await ingest(client, kb1.id, base, concurrency);
  console.log("1x ingestion", ingest1);
  // Warm-up: JIT, Durable Object matrix load, D1 page cache.
  for (const mode of MODES)
    await api("POST", `/api/knowledge-bases/${kb1.id}/search`, { query: "warm up the index", mode });
  const results1 = {} as Record<Mode, ModeResult>;
  for (const mode of MODES) {
    results1[mode] = await runQueries(kb1.id, mode);
    console.log(
      mode,
      results1[mode].metrics,
      "p50",
      percentile(results1[mode].latencies, 50),
      "p95",
      percentile(results1[mode].latencies, 95),
    );
  }

  // The queue pipeline alone (chunk, embed, index; no uploads competing): change the chunking,
  // which re-queues every document, and time until all are ready again.
  const r0 = performance.now();
  await api("PATCH", `/api/knowledge-bases/${kb1.id}`, { chunk_size: 399 });
  const reindex = await waitReady(client, kb1.id, r0);
  console.log("1x re-index", reindex);

  let ingestN: Ingestion | null = null;
  const resultsN = {} as Record<Mode, ModeResult>;
  let deleteSeconds = 0;
  if (scale > 1) {
    // The 1x knowledge base goes first, so the 10x search sees only its own 14,000 documents.
    const t0 = performance.now();
    await api("DELETE", `/api/knowledge-bases/${kb1.id}`);
    deleteSeconds = (performance.now() - t0) / 1000;
    const kbN = await api<{ id: string }>("POST", "/api/knowledge-bases", { name: `Cranfield x${scale}` });
    const copies = base.flatMap((d) =>
      Array.from({ length: scale }, (_, k) =>
        k === 0 ? d : { name: d.name.replace(".txt", `-copy${k}.txt`), content: `${d.content} (copy ${k})` },
      ),
    );
    ingestN = await ingest(client, kbN.id, copies, concurrency);
    console.log(`${scale}x ingestion`, ingestN);
    for (const mode of MODES)
      await api("POST", `/api/knowledge-bases/${kbN.id}/search`, { query: "warm up the index", mode });
    for (const mode of MODES) {
      resultsN[mode] = await runQueries(kbN.id, mode);
      console.log(
        `${scale}x`,
        mode,
        "p50",
        percentile(resultsN[mode].latencies, 50),
        "p95",
        percentile(resultsN[mode].latencies, 95),
      );
    }
  }

  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, shared with other engineers' jobs (load average ${loadStart} at the start, ${loadavg()[0]?.toFixed(1)} at the end); client and wrangler dev unpinned`;
  const quality = [
    "| mode | nDCG@10 | recall@10 | MRR@10 | p50 ms | p95 ms | server p50 / p95 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...MODES.map((m) => {
      const r = results1[m];
      return `| ${m} | ${f3(r.metrics.ndcg10)} | ${f3(r.metrics.recall10)} | ${f3(r.metrics.mrr)} | ${f1(percentile(r.latencies, 50))} | ${f1(percentile(r.latencies, 95))} | ${f1(percentile(r.serverMs, 50))} / ${f1(percentile(r.serverMs, 95))} |`;
    }),
  ].join("\n");
  const ingestRow = (label: string, x: Ingestion) =>
    `| ${label} | ${x.documents} | ${x.chunks} | ${f1(x.uploadSeconds)} | ${f1(x.totalSeconds)} | ${f1(x.documents / x.totalSeconds)} | ${f1(x.chunks / x.totalSeconds)} | ${x.failed} |`;
  const ingestion = [
    "| corpus | documents | chunks | upload s | until all ready s | documents/s | chunks/s | failed |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ingestRow("Cranfield (1x)", ingest1),
    `| Cranfield re-index (queue pipeline only, after a chunk-size change) | ${reindex.documents} | ${reindex.chunks} | – | ${f1(reindex.totalSeconds)} | ${f1(reindex.documents / reindex.totalSeconds)} | ${f1(reindex.chunks / reindex.totalSeconds)} | – |`,
    ...(ingestN ? [ingestRow(`${scale}x (synthetic copies, via the API)`, ingestN)] : []),
  ].join("\n");
  const scaled = ingestN
    ? [
        `| mode at ${scale}x | p50 ms | p95 ms | server p50 / p95 ms |`,
        "| --- | ---: | ---: | ---: |",
        ...MODES.map((m) => {
          const r = resultsN[m];
          return `| ${m} | ${f1(percentile(r.latencies, 50))} | ${f1(percentile(r.latencies, 95))} | ${f1(percentile(r.serverMs, 50))} / ${f1(percentile(r.serverMs, 95))} |`;
        }),
      ].join("\n")
    : "";
  const hybridOk = results1.hybrid.metrics.ndcg10 >= results1.lexical.metrics.ndcg10;
  const p95N = ingestN ? percentile(resultsN.hybrid.latencies, 95) : Number.NaN;
  const report = [
    "",
    "## Knowledge retrieval on Cranfield (issue 6)",
    "",
    `${new Date().toISOString().slice(0, 10)} · ${machine} · offline providers (local-hash-v1 embedder, Durable Object vector index), default chunking (400/60 tokens), top_k 10, hybrid with the default fusion weights (lexical 1, vector 0.05 and k = 10 over the offline embedder), no reranker (no AI binding locally), LOG_LEVEL=warn. 225 queries, cranqrel without code -1, graded gain 5 - code. Latency is client-side through wrangler dev, queries one at a time.`,
    "",
    quality,
    "",
    ingestion,
    "",
    scaled,
    "",
    `Targets: hybrid nDCG@10 ${hybridOk ? "≥" : "<"} lexical-only (${f3(results1.hybrid.metrics.ndcg10)} vs ${f3(results1.lexical.metrics.ndcg10)}): ${hybridOk ? "met" : "MISSED"}; hybrid search p95 at ${scale}x ${f1(p95N)} ms (target < 50 ms): ${p95N < 50 ? "met" : "MISSED"}. Deleting the 1x knowledge base (1,400 documents, chunks, FTS rows and vectors) took ${f1(deleteSeconds)} s.`,
    "",
    `Reproduce: \`node --import tsx bench/knowledge-cranfield.ts --scale ${scale} --concurrency ${concurrency}\``,
    "",
  ].join("\n");
  console.log(report);
  if (!values["no-write"]) {
    if (!existsSync("BENCHMARKS.md"))
      writeFileSync(
        "BENCHMARKS.md",
        "# Benchmarks\n\nFigures measured on this project's machine; each section names the command that reproduces it.\n",
      );
    appendFileSync("BENCHMARKS.md", report);
  }
});
