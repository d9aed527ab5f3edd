// The model judges, with a scripted model standing in for the bound one: each judge reads a JSON
// verdict and gives a score labelled `judge`; a verdict that is no verdict (unparsable, or from
// the offline fallback) gives no score; the pairwise judge sees the two answers in random order
// and maps its verdict back to the runs; no judge exists where only the offline model is bound.
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { type Config, getConfig } from "../../worker/core/config";
import { createDb } from "../../worker/core/db";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import type { GenerateRequest } from "../../worker/core/providers/types";
import { judgeCase, judgeSpec, parseVerdict, preferPair } from "../../worker/evals/judges";
import { emptyObservation, type TurnObservation } from "../../worker/evals/observe";
import { UsageMeter } from "../../worker/usage/meter";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

const SPEC = { provider: "openai-compatible" as const, id: "judge-model" };

const seen: TurnObservation = { ...emptyObservation(10), output: "Paris is the capital of France." };

function judgeModel(reply: (prompt: string) => string) {
  const prompts: string[] = [];
  setProviderOverrides({
    model: new ScriptedModel((r: GenerateRequest) => {
      const prompt = r.messages.at(-1)?.content ?? "";
      prompts.push(prompt);
      return textScript(reply(prompt), { inputTokens: 30, outputTokens: 0 });
    }),
  });
  return prompts;
}

afterEach(() => clearProviderOverrides());

describe("judges", () => {
  it("exist only where a real model is bound", () => {
    const config = (over: Partial<Config>) => ({ ...getConfig(env), ...over });
    expect(judgeSpec({}, config({ LLM_BASE_URL: undefined }))).toBeNull();
    expect(judgeSpec({}, config({ LLM_BASE_URL: "http://127.0.0.1:11434/v1", LLM_MODEL: "llama3.1" }))).toEqual({
      provider: "openai-compatible",
      id: "llama3.1",
    });
  });

  it("score relevance and rubric from the model's JSON verdict, labelled judge, and count its tokens", async () => {
    const prompts = judgeModel((p) =>
      p.startsWith("Rubric:")
        ? '{"score": 0.25, "reason": "too short"}'
        : 'Verdict: {"score": 0.9, "reason": "on topic"}',
    );
    const judged = await judgeCase(
      env,
      {
        workspaceId: "ws_judges",
        judge: SPEC,
        scorers: [
          { name: "answer_relevance" },
          { name: "rubric", threshold: 0.5, options: { rubric: "Names the river too." } },
          { name: "contains" },
        ],
      },
      { input: { message: "What is the capital of France?" } },
      seen,
    );
    expect(judged.scores).toEqual([
      { scorer: "answer_relevance", value: 0.9, pass: true, threshold: 0.5, judge: true, reason: "on topic" },
      { scorer: "rubric", value: 0.25, pass: false, threshold: 0.5, judge: true, reason: "too short" },
    ]);
    expect(prompts[0]).toContain("What is the capital of France?");
    expect(prompts[1]).toContain("Names the river too.");
    expect(judged.tokensIn).toBe(60);
  });

  it("write a usage row per judge call, charged to the evaluation run (surface eval)", async () => {
    judgeModel(() => '{"score": 1, "reason": "ok"}');
    const runId = `erun_judges_${Date.now()}`;
    const meter = new UsageMeter(createDb(env.DB), {
      workspaceId: "ws_judges",
      userId: null,
      agentId: null,
      agentVersion: null,
      conversationId: "conv_judged",
      evalRunId: runId,
      surface: "eval",
    });
    await judgeCase(
      env,
      { workspaceId: "ws_judges", judge: SPEC, scorers: [{ name: "answer_relevance" }, { name: "rubric" }] },
      { input: { message: "q" } },
      seen,
      meter,
    );
    const { results: rows } = await env.DB.prepare(
      "SELECT surface, conversation_id, input_tokens FROM usage_events WHERE eval_run_id = ?",
    )
      .bind(runId)
      .all();
    expect(rows).toEqual([
      { surface: "eval", conversation_id: "conv_judged", input_tokens: 30 },
      { surface: "eval", conversation_id: "conv_judged", input_tokens: 30 },
    ]);
  });

  it("give no score for a reply that is not a verdict, and skip faithfulness with nothing retrieved", async () => {
    judgeModel(() => "I think it is fine");
    const judged = await judgeCase(
      env,
      { workspaceId: "ws_judges", judge: SPEC, scorers: [{ name: "answer_relevance" }, { name: "faithfulness" }] },
      { input: { message: "q" } },
      seen,
    );
    expect(judged.scores).toEqual([]);
    expect(parseVerdict('{"score": 7}')).toEqual({ score: 1, reason: "" });
    expect(parseVerdict('{"score": "high"}')).toBeNull();
  });

  it("prefer between two answers shown in random order, and map the verdict back", async () => {
    const prompts = judgeModel(() => '{"score": 1, "reason": "A is better"}');
    const first = await preferPair(env, "ws_judges", SPEC, "q", "baseline answer", "candidate answer", () => 0.1);
    expect(first).toEqual({ winner: "baseline", baseline_position: "A", reason: "A is better" });
    expect(prompts[0]).toMatch(/Answer A:\nbaseline answer[\s\S]*Answer B:\ncandidate answer/);
    const second = await preferPair(env, "ws_judges", SPEC, "q", "baseline answer", "candidate answer", () => 0.9);
    expect(second).toEqual({ winner: "candidate", baseline_position: "B", reason: "A is better" });
    expect(prompts[1]).toMatch(/Answer A:\ncandidate answer/);
  });

  it("charge a pairwise verdict to whoever compared (surface eval, no run)", async () => {
    judgeModel(() => '{"score": 0.5, "reason": "same"}');
    const userId = `usr_pairwise_${Date.now()}`;
    const usage = { workspaceId: "ws_judges", userId, agentId: null, agentVersion: null };
    const meter = new UsageMeter(createDb(env.DB), { ...usage, surface: "eval" });
    const tie = await preferPair(env, "ws_judges", SPEC, "q", "one", "other", () => 0.1, meter);
    expect(tie?.winner).toBe("tie");
    const { results: rows } = await env.DB.prepare(
      "SELECT surface, eval_run_id, input_tokens FROM usage_events WHERE user_id = ?",
    )
      .bind(userId)
      .all();
    expect(rows).toEqual([{ surface: "eval", eval_run_id: null, input_tokens: 30 }]);
  });
});
