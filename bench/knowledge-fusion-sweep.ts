// Why hybrid does not beat lexical-only offline: fetch each query's lexical and vector top 50
// (chunk ids, document, score) from the live API once, then re-fuse them client-side with other
// RRF constants and weights and with min-max score fusion, scoring nDCG@10 for each on the top
// 10 chunks, as the route returns them. The route's defaults: worker/knowledge/retrieval/search.ts.
// Run: node --import tsx bench/knowledge-fusion-sweep.ts
import { CRANFIELD_DIR, loadCranfield, score } from "./knowledge-dataset";
import { BENCH_ADMIN, startBenchPlatform } from "./lib/platform-api";

interface Hit {
  chunk: string;
  doc: number;
  score: number;
}
type Lists = Record<"lexical" | "vector", Hit[]>;

const { docs, queries, qrels } = loadCranfield(CRANFIELD_DIR);
const platform = await startBenchPlatform({ RATE_LIMITS: "read=1000000000/60,write=1000000000/60" });
let token = "";
async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** nDCG@10 of documents ranked by their best chunk, from the top 10 chunks (what the search
 * route returns for top_k 10 and the Cranfield benchmark scores). */
function ndcg(lists: Lists[], fuse: (l: Lists) => number[]): number {
  return (
    lists.reduce(
      (s, l, i) => s + score([...new Set(fuse(l).slice(0, 10))], qrels.gains.get(i + 1) ?? new Map()).ndcg10,
      0,
    ) / lists.length
  );
}

const rrf = (k: number, vectorWeight: number) => (l: Lists) => {
  const fused = new Map<string, { s: number; doc: number; best: number }>();
  for (const [name, w] of [
    ["lexical", 1],
    ["vector", vectorWeight],
  ] as const) {
    l[name].slice(0, 40).forEach((h, i) => {
      const e = fused.get(h.chunk) ?? { s: 0, doc: h.doc, best: i + 1 };
      e.best = Math.min(e.best, i + 1);
      e.s += w / (k + i + 1);
      fused.set(h.chunk, e);
    });
  }
  // Ties as the route breaks them: the best single rank first.
  return [...fused.values()].sort((a, b) => b.s - a.s || a.best - b.best).map((e) => e.doc);
};

const scoreFusion = (alpha: number) => (l: Lists) => {
  const fused = new Map<string, { s: number; doc: number }>();
  for (const [name, w] of [
    ["lexical", alpha],
    ["vector", 1 - alpha],
  ] as const) {
    const hs = l[name].slice(0, 40);
    const lo = Math.min(...hs.map((h) => h.score));
    const hi = Math.max(...hs.map((h) => h.score));
    for (const h of hs) {
      const e = fused.get(h.chunk) ?? { s: 0, doc: h.doc };
      e.s += w * (hi > lo ? (h.score - lo) / (hi - lo) : 1);
      fused.set(h.chunk, e);
    }
  }
  return [...fused.values()].sort((a, b) => b.s - a.s).map((e) => e.doc);
};

try {
  token = (await call<{ access_token: string }>("POST", "/api/auth/token", BENCH_ADMIN)).access_token;
  const kb = await call<{ id: string }>("POST", "/api/knowledge-bases", { name: "Sweep" });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < docs.length) {
        const d = docs[next++];
        if (d)
          await call("POST", `/api/knowledge-bases/${kb.id}/documents`, {
            name: `cran-${d.id}.txt`,
            content: d.text || d.title || `document ${d.id}`,
          });
      }
    }),
  );
  for (;;) {
    const pending = await Promise.all(
      ["queued", "processing"].map((s) =>
        call<{ data: unknown[] }>("GET", `/api/knowledge-bases/${kb.id}/documents?status=${s}&limit=1`),
      ),
    );
    if (pending.every((p) => p.data.length === 0)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const lists: Lists[] = [];
  for (const query of queries) {
    const entry = {} as Lists;
    for (const mode of ["lexical", "vector"] as const) {
      const res = await call<{
        data: {
          chunk_id: string;
          citation: { document_name: string };
          scores: { lexical: number | null; vector: number | null };
        }[];
      }>("POST", `/api/knowledge-bases/${kb.id}/search`, { query, mode, top_k: 50 });
      entry[mode] = res.data.map((h) => ({
        chunk: h.chunk_id,
        doc: Number(/^cran-(\d+)/.exec(h.citation.document_name)?.[1]),
        score: h.scores[mode] ?? 0,
      }));
    }
    lists.push(entry);
  }
  const f = (x: number) => x.toFixed(3);
  const rows = [
    "| fusion | nDCG@10 |",
    "| --- | ---: |",
    `| lexical only | ${f(ndcg(lists, (l) => l.lexical.map((h) => h.doc)))} |`,
    `| vector only | ${f(ndcg(lists, (l) => l.vector.map((h) => h.doc)))} |`,
    ...[60, 10].flatMap((k) =>
      [1, 0.5, 0.3, 0.15, 0.05, 0.02].map(
        (w) =>
          `| RRF k = ${k}, vector weight ${w}${k === 60 && w === 1 ? " (learned embeddings' default)" : ""}${k === 10 && w === 0.3 ? " (offline default)" : ""} | ${f(ndcg(lists, rrf(k, w)))} |`,
      ),
    ),
    ...[0.5, 0.7, 0.9].map((a) => `| min-max score fusion, lexical weight ${a} | ${f(ndcg(lists, scoreFusion(a)))} |`),
  ];
  console.log(rows.join("\n"));
} finally {
  await platform.stop();
}
