// A stand-in for the Worker's /api/evals runs routes, answering with exactly the shapes of
// shared/api-types/evals.ts: a run is started, reports one case per step (on its SSE stream of
// EvalRunEvent frames, or per poll when the stream is switched off), can be held part-way and
// cancelled, and two stored runs are compared the way the API states it (a scorer regresses when
// its mean falls by more than the tolerance; regressions first). Agent version 2 answers worse.
// Any agent id is taken (the dashboard's tests run it beside a real platform's agents).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Agent } from "@hive/shared/api-types";
import type {
  EvalCompare,
  EvalCompareCase,
  EvalDataset,
  EvalResult,
  EvalRun,
  EvalRunCreate,
  EvalRunEvent,
  EvalScore,
  EvalScoreSummary,
} from "@hive/shared/api-types/evals";
import { agentOf } from "./fake-hive-api";
import { readJson, sendError, sendJson } from "./fake-http";
import { listenLocal } from "./local-server";

const T0 = Date.UTC(2026, 0, 1, 12);
export const DATASET: EvalDataset = {
  id: "evd_cran",
  name: "cranfield",
  description: "Cranfield retrieval",
  version: 3,
  case_count: 3,
  created_by: "usr_test",
  created_at: T0,
  updated_at: T0,
};
const AGENTS: Agent[] = [{ ...agentOf("agt_lib", { name: "Librarian" }), version: 2 }];
const CASES = [
  { key: "q001", tags: ["cranfield", "short"] },
  { key: "q002", tags: ["cranfield"] },
  { key: "q003", tags: ["cranfield"] },
];
/** recall@k per case for agent versions 1 (with its knowledge base) and 2 (without). */
const RECALL: Record<number, number[]> = { 1: [1, 0.8, 0.6], 2: [0.2, 0, 0.6] };

export interface FakeEvalsApi {
  url: string;
  /** "METHOD /path?query" of every request. */
  requests: string[];
  started: EvalRunCreate[];
  /** When false, the events route answers 404 and the CLI must poll. */
  sse: boolean;
  /** When true, a run stops after its first case until it is cancelled. */
  hold: boolean;
  /** When set, the SSE stream ends after this many results without `done`, as a dropped proxy does. */
  cutAfter: number | null;
  runs: Map<string, { run: EvalRun; results: EvalResult[] }>;
  close(): Promise<void>;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

function summarize(scores: EvalScore[]): EvalScoreSummary {
  return {
    mean: mean(scores.map((s) => s.value)),
    pass_rate: mean(scores.map((s) => (s.pass ? 1 : 0))),
    n: scores.length,
  };
}

function summaryOf(results: EvalResult[]): NonNullable<EvalRun["summary"]> {
  const byScorer = (rs: EvalResult[]) => {
    const names = [...new Set(rs.flatMap((r) => r.scores.map((s) => s.scorer)))];
    return Object.fromEntries(
      names.map((n) => [n, summarize(rs.flatMap((r) => r.scores.filter((s) => s.scorer === n)))]),
    );
  };
  const tags = [...new Set(CASES.flatMap((c) => c.tags))];
  const tagged = (tag: string) => results.filter((r) => CASES[r.position]?.tags.includes(tag));
  return { scorers: byScorer(results), tags: Object.fromEntries(tags.map((t) => [t, byScorer(tagged(t))])) };
}

function resultOf(position: number, version: number, threshold: number): EvalResult {
  const value = RECALL[version]?.[position] ?? 0;
  return {
    case_id: `evc_${position}`,
    case_key: CASES[position]?.key ?? "",
    position,
    status: "done",
    output: "Answer with citations",
    scores: [{ scorer: "recall_at_k", value, pass: value >= threshold, threshold }],
    conversation_id: `conv_${position}`,
    swarm_run_id: null,
    trace_id: `trace_${position}`,
    tokens_in: 10,
    tokens_out: 20,
    cost_usd: 0,
    latency_ms: 40,
    error: null,
  };
}

function compareOf(
  base: { run: EvalRun; results: EvalResult[] },
  cand: { run: EvalRun; results: EvalResult[] },
  tolerance: number,
): EvalCompare {
  const value = (rs: EvalResult[], key: string) => rs.find((r) => r.case_key === key)?.scores[0]?.value ?? null;
  const order = { regression: 0, improvement: 1, unchanged: 2 } as const;
  const cases = CASES.map(({ key }): EvalCompareCase => {
    const [b, c] = [value(base.results, key), value(cand.results, key)];
    const delta = b !== null && c !== null ? c - b : null;
    const verdict =
      delta === null || Math.abs(delta) <= tolerance ? "unchanged" : delta < 0 ? "regression" : "improvement";
    return { case_key: key, deltas: [{ scorer: "recall_at_k", baseline: b, candidate: c, delta }], verdict };
  }).sort((x, y) => order[x.verdict] - order[y.verdict]);
  const bm = base.run.summary?.scorers.recall_at_k?.mean ?? 0;
  const cm = cand.run.summary?.scorers.recall_at_k?.mean ?? 0;
  return {
    baseline_run_id: base.run.id,
    candidate_run_id: cand.run.id,
    dataset_id: DATASET.id,
    dataset_version: DATASET.version,
    cases,
    summary: [
      {
        scorer: "recall_at_k",
        baseline_mean: bm,
        candidate_mean: cm,
        delta: cm - bm,
        n: CASES.length,
        regressed: cm < bm - tolerance,
      },
    ],
    tolerance,
    regressions: cases.filter((c) => c.verdict === "regression").length,
    improvements: cases.filter((c) => c.verdict === "improvement").length,
  };
}

export async function startFakeEvalsApi(): Promise<FakeEvalsApi> {
  const api: FakeEvalsApi = {
    url: "",
    requests: [],
    started: [],
    sse: true,
    hold: false,
    cutAfter: null,
    runs: new Map(),
    close: async () => {},
  };
  let counter = 0;

  /** Moves a run on by one case (unless held after its first); answers whether it changed. */
  function step(id: string): boolean {
    const entry = api.runs.get(id);
    if (!entry || (entry.run.status !== "running" && entry.run.status !== "pending")) return false;
    const { run } = entry;
    if (api.hold && run.cases_done >= 1) return false;
    const version = run.target.kind === "agent" ? (run.target.agent_version ?? 2) : 2;
    const threshold = run.scorers[0]?.threshold ?? 0.5;
    entry.results.push(resultOf(run.cases_done, version, threshold));
    const done = run.cases_done + 1;
    const finished = done === run.cases_total;
    entry.run = {
      ...run,
      status: finished ? "succeeded" : "running",
      cases_done: done,
      tokens_used: done * 30,
      summary: finished ? summaryOf(entry.results) : null,
      ended_at: finished ? T0 + 1000 : null,
    };
    return true;
  }

  async function events(id: string, res: ServerResponse) {
    res.writeHead(200, { "Content-Type": "text/event-stream" });
    const send = (e: EvalRunEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    const entry = () => api.runs.get(id);
    send({ type: "status", run: entry()?.run as EvalRun });
    let sent = 0;
    while (!res.destroyed && sent !== api.cutAfter) {
      const current = entry();
      if (!current) break;
      if (["succeeded", "cancelled", "failed"].includes(current.run.status)) {
        send({ type: "done", run: current.run });
        break;
      }
      if (step(id)) {
        const after = api.runs.get(id);
        const last = after?.results.at(-1);
        if (last) send({ type: "result", result: last });
        sent++;
      }
      await new Promise((r) => setTimeout(r, 30));
    }
    res.end();
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    api.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /api/evals/datasets") return sendJson(res, 200, { data: [DATASET], next_cursor: null });
    if (route === "GET /api/agents") return sendJson(res, 200, { data: AGENTS, next_cursor: null });
    if (route === "POST /api/evals/runs") {
      const body = (await readJson(req)) as EvalRunCreate;
      api.started.push(body);
      const target = body.target;
      if (target.kind === "agent" && !target.agent_id.startsWith("agt_"))
        return sendError(res, 404, "NOT_FOUND", "Agent not found");
      const run: EvalRun = {
        id: `evr_${++counter}`,
        dataset_id: body.dataset_id,
        dataset_version: DATASET.version,
        target:
          target.kind === "agent"
            ? { kind: "agent", agent_id: target.agent_id, agent_version: target.agent_version ?? 2 }
            : target,
        scorers: body.scorers ?? [{ name: "recall_at_k", threshold: 0.5 }],
        concurrency: body.concurrency ?? 2,
        budget_tokens: body.budget_tokens ?? null,
        budget_ms: body.budget_ms ?? null,
        status: "running",
        reason: null,
        cases_total: CASES.length,
        cases_done: 0,
        tokens_used: 0,
        cost_usd: 0,
        summary: null,
        label: body.label ?? null,
        created_by: "usr_test",
        started_at: T0,
        ended_at: null,
        created_at: T0,
      };
      api.runs.set(run.id, { run, results: [] });
      return sendJson(res, 201, run);
    }
    if (route === "GET /api/evals/runs") {
      const ds = url.searchParams.get("dataset_id");
      const data = [...api.runs.values()].map((e) => e.run).filter((r) => !ds || r.dataset_id === ds);
      return sendJson(res, 200, { data, next_cursor: null });
    }
    if (route === "GET /api/evals/compare") {
      const [base, cand] = [url.searchParams.get("baseline") ?? "", url.searchParams.get("candidate") ?? ""].map((id) =>
        api.runs.get(id),
      );
      if (!base || !cand) return sendError(res, 404, "NOT_FOUND", "Run not found");
      return sendJson(res, 200, compareOf(base, cand, Number(url.searchParams.get("tolerance") ?? "0.05")));
    }
    const m = /^\/api\/evals\/runs\/([^/]+)(\/results|\/events|\/cancel)?$/.exec(url.pathname);
    const entry = m ? api.runs.get(decodeURIComponent(m[1] ?? "")) : undefined;
    if (m && !entry) return sendError(res, 404, "NOT_FOUND", "Run not found");
    if (m && entry) {
      const id = entry.run.id;
      if (route.startsWith("GET") && !m[2]) {
        if (!api.sse || api.cutAfter !== null) step(id);
        return sendJson(res, 200, api.runs.get(id)?.run);
      }
      if (req.method === "GET" && m[2] === "/results") {
        const failed = url.searchParams.get("failed") === "true";
        const data = entry.results.filter((r) => !failed || r.scores.some((s) => !s.pass));
        return sendJson(res, 200, { data, next_cursor: null });
      }
      if (req.method === "GET" && m[2] === "/events") {
        if (!api.sse) return sendError(res, 404, "NOT_FOUND", "No route");
        return events(id, res);
      }
      if (req.method === "POST" && m[2] === "/cancel") {
        entry.run = { ...entry.run, status: "cancelled", reason: "cancelled by usr_test", ended_at: T0 + 500 };
        return sendJson(res, 200, entry.run);
      }
    }
    return sendError(res, 404, "NOT_FOUND", `No route for ${route}`);
  }

  const server = await listenLocal((req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, 500, "INTERNAL", String(err)));
  });
  api.url = server.url;
  api.close = server.close;
  return api;
}
