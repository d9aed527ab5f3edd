// Sustained mixed load on a running platform: N clients, each a loop of seeded random operations
// (agent and knowledge-base writes, document uploads, searches, chats, /v1, lists) for D seconds,
// as fast as the platform answers. Every acknowledged write is read back afterwards and every
// uploaded document must reach `ready`. Shared by bench/load.ts (the long run) and the CI-sized
// run in test/browser/platform-load.test.ts.
import { seeded } from "./pii-synthetic";
import { type Admin, PlatformApi, waitReady } from "./platform-api";

export interface LoadOptions {
  url: string;
  admin: Admin;
  clients: number;
  seconds: number;
  seed: number;
}

export interface OperationStats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LoadReport {
  requests: number;
  seconds: number;
  rate: number;
  /** Answers >= 500, and requests that got no answer at all. */
  serverErrors: { op: string; status: number; body: string }[];
  /** Other answers the operation did not expect (4xx), by "op status". */
  unexpected: Record<string, number>;
  operations: Record<string, OperationStats>;
  acknowledgedWrites: number;
  lostWrites: string[];
  documents: { uploaded: number; ready: number; notReady: string[] };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) : 0;

type Write = { kind: "agent" | "knowledge-base" | "document"; id: string; name: string };
interface Fixture {
  agentId: string;
  kbId: string;
}
type Op = (
  api: PlatformApi,
  fx: Fixture,
  n: number,
) => { method: string; path: string; body?: unknown; write?: Write["kind"] };

const WORDS = ["hive", "swarm", "queue", "vector", "breaker", "retry", "index", "latency", "cache", "edge"];

/** Weighted operations; a write names what it creates so it can be read back. */
const OPERATIONS: [string, number, Op][] = [
  [
    "agent_create",
    2,
    (_a, _f, n) => ({ method: "POST", path: "/api/agents", body: { name: `Load agent ${n}` }, write: "agent" }),
  ],
  [
    "kb_create",
    1,
    (_a, _f, n) => ({
      method: "POST",
      path: "/api/knowledge-bases",
      body: { name: `Load KB ${n}` },
      write: "knowledge-base",
    }),
  ],
  [
    "document_upload",
    2,
    (_a, f, n) => ({
      method: "POST",
      path: `/api/knowledge-bases/${f.kbId}/documents`,
      body: { name: `load-${n}.md`, content: `# Note ${n}\n\n${WORDS.map((w, i) => `${w} ${n * 7 + i}`).join(" ")}.` },
      write: "document",
    }),
  ],
  [
    "search",
    3,
    (_a, f, n) => ({
      method: "POST",
      path: `/api/knowledge-bases/${f.kbId}/search`,
      body: { query: WORDS[n % WORDS.length] },
    }),
  ],
  [
    "chat",
    2,
    (_a, f, n) => ({
      method: "POST",
      path: `/api/agents/${f.agentId}/chat`,
      body: { message: `What about ${WORDS[n % 10]}?` },
    }),
  ],
  [
    "v1_chat",
    2,
    (_a, f, n) => ({
      method: "POST",
      path: "/v1/chat/completions",
      body: { model: f.agentId, messages: [{ role: "user", content: `Tell me about ${WORDS[n % 10]}` }] },
    }),
  ],
  ["list_agents", 3, () => ({ method: "GET", path: "/api/agents?limit=20" })],
  ["list_kbs", 2, () => ({ method: "GET", path: "/api/knowledge-bases?limit=20" })],
];
const TOTAL_WEIGHT = OPERATIONS.reduce((s, [, w]) => s + w, 0);

function pick(r: number): [string, Op] {
  let point = r * TOTAL_WEIGHT;
  for (const [name, weight, op] of OPERATIONS) {
    if (point < weight) return [name, op];
    point -= weight;
  }
  const last = OPERATIONS[OPERATIONS.length - 1] as [string, number, Op];
  return [last[0], last[2]];
}

export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const api = new PlatformApi(opts.url, opts.admin);
  await api.login();
  const fx: Fixture = {
    agentId: (await api.call<{ id: string }>("POST", "/api/agents", { name: "Load chat agent" })).id,
    kbId: (await api.call<{ id: string }>("POST", "/api/knowledge-bases", { name: "Load documents" })).id,
  };
  const latencies = new Map<string, number[]>();
  const serverErrors: LoadReport["serverErrors"] = [];
  const unexpected: Record<string, number> = {};
  const writes: Write[] = [];
  let requests = 0;
  let counter = 0;
  const started = performance.now();
  const until = started + opts.seconds * 1000;

  await Promise.all(
    Array.from({ length: opts.clients }, async (_, client) => {
      const random = seeded(opts.seed * 1000 + client);
      while (performance.now() < until) {
        const n = ++counter;
        const [name, op] = pick(random());
        const req = op(api, fx, n);
        const t0 = performance.now();
        let status = 0;
        let text = "";
        try {
          const res = await api.fetch(req.method, req.path, req.body);
          status = res.status;
          text = await res.text();
        } catch (err) {
          text = err instanceof Error ? err.message : String(err);
        }
        requests++;
        const list = latencies.get(name) ?? [];
        list.push(performance.now() - t0);
        latencies.set(name, list);
        if (status === 0 || status >= 500) serverErrors.push({ op: name, status, body: text.slice(0, 300) });
        else if (status >= 400) unexpected[`${name} ${status}`] = (unexpected[`${name} ${status}`] ?? 0) + 1;
        else if (req.write) {
          const created = JSON.parse(text) as { id: string; name: string };
          writes.push({ kind: req.write, id: created.id, name: created.name });
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  const lostWrites: string[] = [];
  const docs = writes.filter((w) => w.kind === "document");
  await waitReady(api, fx.kbId, performance.now());
  const notReady: string[] = [];
  for (const w of writes) {
    const path =
      w.kind === "agent"
        ? `/api/agents/${w.id}`
        : w.kind === "knowledge-base"
          ? `/api/knowledge-bases/${w.id}`
          : `/api/knowledge-bases/${fx.kbId}/documents/${w.id}`;
    const res = await api.fetch("GET", `${path}?fresh=${Date.now()}`);
    const body = res.ok ? ((await res.json()) as { name?: string; status?: string }) : null;
    if (!body || body.name !== w.name) lostWrites.push(`${w.kind} ${w.id} (${res.status})`);
    else if (w.kind === "document" && body.status !== "ready") notReady.push(`${w.id} ${body.status}`);
  }

  const operations: Record<string, OperationStats> = {};
  for (const [name, list] of latencies) {
    const sorted = [...list].sort((a, b) => a - b);
    const round = (v: number) => Math.round(v * 10) / 10;
    operations[name] = {
      count: sorted.length,
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
    };
  }
  return {
    requests,
    seconds: Math.round(seconds * 10) / 10,
    rate: Math.round((requests / seconds) * 10) / 10,
    serverErrors,
    unexpected,
    operations,
    acknowledgedWrites: writes.length,
    lostWrites,
    documents: { uploaded: docs.length, ready: docs.length - notReady.length, notReady },
  };
}

/** The report as a table for people. */
export function formatLoadReport(r: LoadReport): string {
  const rows = Object.entries(r.operations)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, s]) => `| ${op} | ${s.count} | ${s.p50} | ${s.p95} | ${s.p99} |`);
  return [
    `${r.requests} requests in ${r.seconds} s: ${r.rate} req/s`,
    `5xx or no answer: ${r.serverErrors.length}; other non-2xx: ${JSON.stringify(r.unexpected)}`,
    `acknowledged writes: ${r.acknowledgedWrites}, lost: ${r.lostWrites.length}; documents ready: ${r.documents.ready}/${r.documents.uploaded}`,
    "| operation | count | p50 ms | p95 ms | p99 ms |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}
