// A run outside the happy path: its coordinator reset mid-case (the run resumes and every case
// is recorded exactly once), cancelled mid-run (nothing starts after), and stopped by its token
// and time budgets.
import { env } from "cloudflare:test";
import type { EvalCaseInput } from "@hive/shared/api-types/evals";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import type { GenerateRequest } from "../../worker/core/providers/types";
import { resultsOf, seedDataset, startRun, waitFor, waitForRun } from "./evals.helpers";
import { createAgent } from "./helpers/chat";
import { evict, expectStatus } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";
import { type Caller, signedInUser } from "./knowledge.helpers";

const QUESTIONS = ["What is lift?", "What is drag?", "What is thrust?", "What is weight?"];
const CASES: EvalCaseInput[] = QUESTIONS.map((q) => ({ input: { message: q }, must_include: ["answer"] }));

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let caller: Caller;
let agent: Agent;
let datasetId: string;

/** Answers "answer to <question>" one word every `delayMs`, recording what it was asked. */
function slowModel(delayMs: number) {
  const asked: string[] = [];
  const model = new ScriptedModel(
    (request: GenerateRequest) => {
      const question = request.messages.findLast((m) => m.role === "user")?.content ?? "";
      asked.push(question);
      return textScript(`answer to ${question}`, { inputTokens: 10, outputTokens: 5 });
    },
    { delayMs },
  );
  setProviderOverrides({ model });
  return asked;
}

beforeAll(async () => {
  caller = await signedInUser();
  agent = await createAgent(caller.token, { name: "Slowbot" });
  datasetId = (await seedDataset(caller.workspaceId, caller.userId, CASES)).id;
});

afterEach(() => clearProviderOverrides());

const start = (extra: Record<string, unknown> = {}) =>
  startRun(caller.token, {
    dataset_id: datasetId,
    target: { kind: "agent", agent_id: agent.id },
    concurrency: 1,
    ...extra,
  });

describe("a coordinator reset", () => {
  it("resumes the run, retries the case in flight and records every case exactly once", async () => {
    const asked = slowModel(60);
    const run = await start();
    await waitFor(() => asked.includes("What is drag?"));
    await evict(env.EVAL_COORDINATOR.getByName(run.id));

    const ended = await waitForRun(caller.token, run.id);
    expect(ended).toMatchObject({ status: "succeeded", cases_done: 4, cases_total: 4 });
    const results = await resultsOf(caller.token, run.id);
    expect(results.map((r) => r.case_key)).toEqual(["k0", "k1", "k2", "k3"]);
    expect(results.map((r) => [r.status, r.output])).toEqual(QUESTIONS.map((q) => ["done", `answer to ${q}`]));
    // The case in flight ran again in a new conversation; no finished case ran twice.
    expect(asked.filter((q) => q === "What is lift?")).toHaveLength(1);
    expect(asked.filter((q) => q === "What is drag?")).toHaveLength(2);
    expect(new Set(results.map((r) => r.conversation_id)).size).toBe(4);
    expect(ended.summary?.scorers.contains).toEqual({ mean: 1, pass_rate: 1, n: 4 });
  });
});

describe("cancel", () => {
  it("ends the run cancelled; the case in flight finishes and nothing starts after", async () => {
    const asked = slowModel(80);
    const run = await start();
    await waitFor(() => asked.length === 1);
    const result = await expectStatus<{ cancelled: boolean; run: { status: string; reason: string } }>(
      200,
      "POST",
      `/api/evals/runs/${run.id}/cancel`,
      { token: caller.token },
    );
    expect(result.cancelled).toBe(true);
    expect(result.run.status).toBe("cancelled");
    expect(result.run.reason).toMatch(/^cancelled by usr_/);
    await waitFor(async () => (await resultsOf(caller.token, run.id)).length === 1);
    await new Promise((r) => setTimeout(r, 600));
    expect(asked).toEqual(["What is lift?"]);
    const ended = await waitForRun(caller.token, run.id);
    expect(ended).toMatchObject({ status: "cancelled", cases_done: 1 });

    const again = await expectStatus<{ cancelled: boolean }>(200, "POST", `/api/evals/runs/${run.id}/cancel`, {
      token: caller.token,
    });
    expect(again.cancelled).toBe(false);
  });
});

describe("budgets", () => {
  it("stops with budget_exceeded once the tokens used reach the token budget", async () => {
    slowModel(0);
    const run = await start({ budget_tokens: 20 });
    const ended = await waitForRun(caller.token, run.id);
    // Each case uses 15 tokens ("answer to What is lift?" is 5 words): the second case crosses 20, and no third starts.
    expect(ended).toMatchObject({ status: "budget_exceeded", cases_done: 2, tokens_used: 30 });
    expect(ended.reason).toMatch(/token budget/);
  });

  it("stops with budget_exceeded once the time budget has passed", async () => {
    slowModel(100);
    const run = await start({ budget_ms: 300 });
    const ended = await waitForRun(caller.token, run.id);
    expect(ended.status).toBe("budget_exceeded");
    expect(ended.reason).toMatch(/time budget/);
    expect(ended.cases_done).toBeLessThan(4);
  });
});
