// An evaluation run end to end with no language model: an offline agent with a knowledge base
// answers every case as a real chat turn; recall@k, MRR and citation validity match what the
// search API and the stored conversation say by hand; the summary is per scorer and per tag;
// the SSE stream shows progress and each result, then done.

import { env } from "cloudflare:test";
import type { ConversationDetail } from "@hive/shared/api-types/conversations";
import type { EvalCaseInput, EvalResult, EvalRun } from "@hive/shared/api-types/evals";
import type { TraceDetail } from "@hive/shared/api-types/traces";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import type { SearchResponse } from "../../worker/knowledge/schemas";
import { followRun, resultsOf, scoreOf, seedDataset, startRun, waitForRun } from "./evals.helpers";
import { createAgent } from "./helpers/chat";
import { api, expectStatus } from "./helpers/harness";
import { AERO_DOCS } from "./knowledge.fixtures";
import { type Caller, createKb, signedInUser, uploadIngested } from "./knowledge.helpers";

// Each run is several real agent turns: slow on a loaded machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const CASES: EvalCaseInput[] = [
  {
    input: { message: "What affects heat transfer in a laminar boundary layer?" },
    expected_sources: ["boundary-layers.txt"],
    must_include: ["Prandtl"],
    tags: ["heat"],
  },
  {
    input: { message: "How does the lift of a slender delta wing grow?" },
    expected_sources: ["wings.txt"],
    tags: ["wings"],
  },
  {
    // Deliberately judged against the wrong document: recall and validity must say so.
    input: { message: "Why do thin cylindrical shells buckle under axial compression?" },
    expected_sources: ["wings.txt"],
    tags: ["wings", "shells"],
  },
];
const K = 2;

let caller: Caller;
let agent: Agent;
let kbId: string;
let datasetId: string;

beforeAll(async () => {
  caller = await signedInUser();
  const kb = await createKb(caller, { name: "Aero evals" });
  kbId = kb.id;
  for (const [name, content] of Object.entries(AERO_DOCS)) await uploadIngested(caller, kb.id, name, content);
  agent = await createAgent(caller.token, { name: "Evalbot", knowledge_base_ids: [kb.id] });
  datasetId = (await seedDataset(caller.workspaceId, caller.userId, CASES)).id;
});

/** Documents the turn's retrieval would rank (its top 5 passages, each document once), from the search API. */
async function rankedDocuments(query: string): Promise<string[]> {
  const found = await expectStatus<SearchResponse>(200, "POST", `/api/knowledge-bases/${kbId}/search`, {
    token: caller.token,
    body: { query, top_k: 5 },
  });
  return [...new Set(found.data.map((h) => h.citation.document_name))];
}

/** Documents the stored answer cites, each once. */
async function citedDocuments(conversationId: string): Promise<string[]> {
  const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${conversationId}`, {
    token: caller.token,
  });
  const answer = detail.messages.data.findLast((m) => m.role === "assistant");
  return [...new Set((answer?.citations ?? []).map((c) => c.document_name))];
}

describe("a run over a small dataset", () => {
  let run: EvalRun;
  let results: EvalResult[];

  beforeAll(async () => {
    const started = await startRun(caller.token, {
      dataset_id: datasetId,
      target: { kind: "agent", agent_id: agent.id },
      scorers: [
        { name: "recall_at_k", options: { k: K } },
        { name: "mrr" },
        { name: "citation_validity" },
        { name: "contains" },
      ],
      concurrency: 2,
      label: "offline baseline",
    });
    expect(started).toMatchObject({ status: expect.stringMatching(/pending|running/), cases_total: 3 });
    // Pinned to the agent's current version though the request left it out.
    expect(started.target).toEqual({ kind: "agent", agent_id: agent.id, agent_version: 1 });
    run = await waitForRun(caller.token, started.id);
    results = await resultsOf(caller.token, run.id);
  });

  it("runs every case once as a real conversation and scores it like a hand computation", async () => {
    expect(run).toMatchObject({ status: "succeeded", cases_done: 3, reason: null });
    expect(results.map((r) => r.case_key)).toEqual(["k0", "k1", "k2"]);
    for (const [i, r] of results.entries()) {
      const c = CASES[i] as EvalCaseInput;
      expect(r.status).toBe("done");
      expect(r.conversation_id).toMatch(/^conv_/);
      const expected = c.expected_sources ?? [];
      const ranked = await rankedDocuments("message" in c.input ? c.input.message : "");
      const recall = expected.filter((s) => ranked.slice(0, K).includes(s)).length / expected.length;
      const first = ranked.findIndex((d) => expected.includes(d));
      const cited = await citedDocuments(r.conversation_id as string);
      const valid = cited.filter((d) => expected.includes(d) && ranked.includes(d)).length;
      expect(scoreOf(r, "recall_at_k"), `recall@${K} of ${r.case_key}`).toBeCloseTo(recall);
      expect(scoreOf(r, "mrr"), `mrr of ${r.case_key}`).toBeCloseTo(first < 0 ? 0 : 1 / (first + 1));
      expect(scoreOf(r, "citation_validity"), `validity of ${r.case_key}`).toBeCloseTo(
        cited.length ? valid / cited.length : 0,
      );
    }
    // The answers are the offline model quoting the right documents: the first two cases pass, the third cannot.
    expect(results.map((r) => scoreOf(r, "citation_validity"))).toEqual([1, 1, 0]);
    expect(scoreOf(results[0] as EvalResult, "contains")).toBe(1);
    expect(results[0]?.output).toContain("Prandtl");
    expect(results.every((r) => r.tokens_in > 0 && (r.latency_ms ?? -1) >= 0)).toBe(true);
    expect(run.tokens_used).toBe(results.reduce((n, r) => n + r.tokens_in + r.tokens_out, 0));
  });

  it("charges every model call to the run (surface eval), and its tokens and cost are the sum of those rows", async () => {
    const { results: rows } = await env.DB.prepare(
      "SELECT surface, conversation_id, input_tokens, output_tokens, cost_usd FROM usage_events WHERE eval_run_id = ?",
    )
      .bind(run.id)
      .all<{
        surface: string;
        conversation_id: string;
        input_tokens: number;
        output_tokens: number;
        cost_usd: number;
      }>();
    expect(rows.length).toBeGreaterThanOrEqual(CASES.length);
    expect(new Set(rows.map((r) => r.surface))).toEqual(new Set(["eval"]));
    const sum = (of: typeof rows) => ({
      tokens_in: of.reduce((n, r) => n + r.input_tokens, 0),
      tokens_out: of.reduce((n, r) => n + r.output_tokens, 0),
      cost_usd: of.reduce((n, r) => n + r.cost_usd, 0),
    });
    const all = sum(rows);
    expect(run.tokens_used).toBe(all.tokens_in + all.tokens_out);
    expect(run.cost_usd).toBeCloseTo(all.cost_usd, 9);
    for (const r of results) {
      const mine = sum(rows.filter((row) => row.conversation_id === r.conversation_id));
      expect({ tokens_in: r.tokens_in, tokens_out: r.tokens_out }).toEqual({
        tokens_in: mine.tokens_in,
        tokens_out: mine.tokens_out,
      });
      expect(r.cost_usd).toBeCloseTo(mine.cost_usd, 9);
    }
  });

  it("links each result to its own trace, holding the case and its turn in the conversation's object", async () => {
    const ids = results.map((r) => r.trace_id);
    expect(ids.every((id) => /^[0-9a-f]{32}$/.test(id ?? ""))).toBe(true);
    expect(new Set(ids).size).toBe(results.length);
    for (const r of results) {
      // Segments reach D1 in waitUntil: poll until the case's and the turn's are both stored.
      let names: string[] = [];
      for (let i = 0; i < 100; i++) {
        const res = await api<TraceDetail>("GET", `/api/traces/${r.trace_id}`, { token: caller.token });
        names = res.status === 200 ? res.body.spans.map((sp) => sp.name) : [];
        if (names.includes("eval.case") && names.some((n) => n.startsWith("invoke_agent "))) break;
        await new Promise((done) => setTimeout(done, 100));
      }
      expect(names).toContain("eval.case");
      expect(names).toContain("ConversationAgent/chat");
      expect(names.some((n) => n.startsWith("invoke_agent "))).toBe(true);
    }
  });

  it("summarises per scorer with n, and per tag", () => {
    const validity = results.map((r) => scoreOf(r, "citation_validity") as number);
    expect(run.summary?.scorers.citation_validity).toEqual({
      mean: validity.reduce((a, b) => a + b, 0) / 3,
      pass_rate: validity.filter((v) => v >= 1).length / 3,
      n: 3,
    });
    expect(run.summary?.scorers.contains?.n).toBe(1);
    expect(Object.keys(run.summary?.tags ?? {}).sort()).toEqual(["heat", "shells", "wings"]);
    expect(run.summary?.tags.wings?.citation_validity).toMatchObject({ n: 2, mean: 0.5, pass_rate: 0.5 });
    expect(run.summary?.tags.shells?.citation_validity).toMatchObject({ n: 1, mean: 0 });
  });

  it("lists runs by dataset and status, and filters failed results", async () => {
    const page = await expectStatus<{ data: EvalRun[] }>(
      200,
      "GET",
      `/api/evals/runs?dataset_id=${datasetId}&status=succeeded`,
      { token: caller.token },
    );
    expect(page.data.map((r) => r.id)).toContain(run.id);
    const none = await expectStatus<{ data: EvalRun[] }>(
      200,
      "GET",
      `/api/evals/runs?dataset_id=${datasetId}&status=running`,
      {
        token: caller.token,
      },
    );
    expect(none.data).toEqual([]);
    const failed = await resultsOf(caller.token, run.id, "&failed=true");
    expect(failed.map((r) => r.case_key)).toEqual(["k2"]);
  });

  it("replays the ended run over SSE: status, every result, done", async () => {
    const events = await followRun(caller.token, run.id);
    expect(events.filter((e) => e.type === "result")).toHaveLength(3);
    expect(events[events.length - 1]).toMatchObject({ type: "done", run: { id: run.id, status: "succeeded" } });
    expect(events.some((e) => e.type === "status")).toBe(true);
  });
});

describe("live progress", () => {
  it("streams results as cases finish, then done", async () => {
    const started = await startRun(caller.token, {
      dataset_id: datasetId,
      target: { kind: "agent", agent_id: agent.id },
      concurrency: 1,
    });
    // Default scorers: those some case states (contains, citation validity, recall@k, mrr).
    expect(started.scorers.map((s) => s.name).sort()).toEqual(["citation_validity", "contains", "mrr", "recall_at_k"]);
    const events = await followRun(caller.token, started.id);
    const kinds = events.map((e) => e.type);
    expect(kinds.filter((k) => k === "result")).toHaveLength(3);
    expect(kinds.at(-1)).toBe("done");
    const progress = events.flatMap((e) => (e.type === "status" ? [e.run.cases_done] : []));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it("refuses judge scorers when only the offline model is bound, saying why", async () => {
    const res = await api<{ error: { code: string; message: string } }>("POST", "/api/evals/runs", {
      token: caller.token,
      body: {
        dataset_id: datasetId,
        target: { kind: "agent", agent_id: agent.id },
        scorers: [{ name: "faithfulness" }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/only the offline model is bound/);
  });

  it("rejects concurrency outside 1-8 and unknown scorers with 400", async () => {
    for (const body of [{ concurrency: 9 }, { concurrency: 0 }, { scorers: [{ name: "bleu" }] }]) {
      const res = await api("POST", "/api/evals/runs", {
        token: caller.token,
        body: { dataset_id: datasetId, target: { kind: "agent", agent_id: agent.id }, ...body },
      });
      expect(res.status).toBe(400);
    }
  });
});
