// Scorers that ask a model: faithfulness of the answer to the passages the turn retrieved, its
// relevance to the question, grading against a rubric, and the pairwise preference between two
// runs' answers (compare). They exist only where a real model is bound (Workers AI or an
// OpenAI-compatible server): the offline model only quotes its context and cannot judge. Each
// judge call goes through the chat model path (the workspace's safety policy on the prompt and
// the verdict, the kill switch, deadlines) and its tokens are charged to the workspace; a
// verdict from a fallback to the offline model is not a verdict and gives no score.
import type {
  EvalCaseInput,
  EvalPreference,
  EvalScore,
  EvalScorerConfig,
  EvalScorerName,
} from "@hive/shared/api-types/evals";
import { and, eq, inArray } from "drizzle-orm";
import type { ModelSpec } from "../agents/schemas";
import { turnGuard } from "../chat/guard";
import { callModel } from "../chat/model-call";
import { liveModelChain } from "../chat/models";
import { recordUsage } from "../chat/usage";
import { type Config, getConfig } from "../core/config";
import { createDb } from "../core/db";
import { chunks } from "../core/db/schema";
import { modelPolicy } from "../core/providers/deadlines";
import { DEFAULT_WORKERS_AI_MODEL } from "../core/providers/workers-ai-model";
import type { UsageMeter } from "../usage/meter";
import type { TurnObservation } from "./observe";
import { userMessages } from "./run-case";

export const JUDGES = ["faithfulness", "answer_relevance", "rubric"] as const satisfies readonly EvalScorerName[];
type JudgeName = (typeof JUDGES)[number];
export const isJudge = (name: EvalScorerName): name is JudgeName => (JUDGES as readonly string[]).includes(name);

const DEFAULT_THRESHOLD = 0.5;
const JUDGE_TIMEOUT_MS = 60_000;
const MAX_CONTEXT_CHARS = 12_000;

/** The model judges use: the deployment's own non-offline model, or null when only the offline one is bound. */
export function judgeSpec(env: Pick<Env, "AI">, config: Pick<Config, "LLM_BASE_URL" | "LLM_MODEL">): ModelSpec | null {
  if (env.AI) return { provider: "workers-ai", id: DEFAULT_WORKERS_AI_MODEL };
  if (config.LLM_BASE_URL) return { provider: "openai-compatible", id: config.LLM_MODEL };
  return null;
}

export interface Verdict {
  score: number;
  reason: string;
}

export interface JudgeCall {
  verdict: Verdict | null;
  tokensIn: number;
  tokensOut: number;
}

/** The first JSON object in the reply with a numeric `score` (clamped to [0, 1]). */
export function parseVerdict(text: string): Verdict | null {
  const m = /\{[\s\S]*\}/.exec(text);
  if (!m) return null;
  try {
    const v = JSON.parse(m[0]) as { score?: unknown; reason?: unknown };
    if (typeof v.score !== "number" || !Number.isFinite(v.score)) return null;
    return { score: Math.min(1, Math.max(0, v.score)), reason: typeof v.reason === "string" ? v.reason : "" };
  } catch {
    return null;
  }
}

const SYSTEM =
  'You are a strict evaluator. Read the material, then reply with one JSON object only: {"score": <a number from 0 to 1>, "reason": "<one sentence>"}.';

/** One judge call through the chat model path, charged to the workspace; with a meter, its usage row is written too. */
export async function askJudge(
  env: Env,
  workspaceId: string,
  spec: ModelSpec,
  prompt: string,
  meter?: UsageMeter,
): Promise<JudgeCall> {
  const config = getConfig(env);
  const deferred: Promise<unknown>[] = [];
  const guard = await turnGuard(env, config, "chat", { workspaceId, agentId: null }, (w) => deferred.push(w));
  const result = await callModel(
    await liveModelChain([spec], env, config, workspaceId),
    {
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: prompt },
      ],
      temperature: 0,
      maxTokens: 300,
    },
    AbortSignal.timeout(JUDGE_TIMEOUT_MS),
    () => undefined,
    modelPolicy(config, true),
    undefined,
    guard,
    meter,
  );
  await Promise.allSettled([...deferred, recordUsage(env, workspaceId, null, result.usage)]);
  await meter?.flush();
  const answered = result.outcome === "stop" || result.outcome === "length";
  return {
    verdict: answered && !result.degraded ? parseVerdict(result.content) : null,
    tokensIn: result.usage.inputTokens,
    tokensOut: result.usage.outputTokens,
  };
}

async function passageTexts(env: Env, workspaceId: string, ids: readonly string[]): Promise<string> {
  if (ids.length === 0) return "";
  const rows = await createDb(env.DB)
    .select({ id: chunks.id, content: chunks.content })
    .from(chunks)
    .where(and(eq(chunks.workspaceId, workspaceId), inArray(chunks.id, [...ids])));
  const byId = new Map(rows.map((r) => [r.id, r.content]));
  return ids
    .flatMap((id, i) => (byId.has(id) ? [`[${i + 1}] ${byId.get(id)}`] : []))
    .join("\n\n")
    .slice(0, MAX_CONTEXT_CHARS);
}

async function promptFor(
  env: Env,
  workspaceId: string,
  scorer: EvalScorerConfig,
  c: EvalCaseInput,
  seen: TurnObservation,
): Promise<string | null> {
  const question = userMessages(c.input).at(-1) ?? "";
  const answer = `Answer:\n${seen.output}`;
  switch (scorer.name) {
    case "faithfulness": {
      const context = await passageTexts(env, workspaceId, seen.passages);
      // Nothing was retrieved: there is nothing to be faithful to.
      if (!context) return null;
      return `Context:\n${context}\n\n${answer}\n\nScore 1 when every claim in the answer is supported by the context, 0 when none is.`;
    }
    case "answer_relevance":
      return `Question:\n${question}\n\n${answer}\n\nScore 1 when the answer directly and fully addresses the question, 0 when it does not address it.`;
    case "rubric":
      return `Rubric:\n${String(scorer.options?.rubric ?? "")}\n\nQuestion:\n${question}\n\n${answer}\n\nScore how well the answer meets the rubric.`;
    default:
      return null;
  }
}

/** The judge scores a run asked for, for one case; the meter charges the calls to the run. */
export async function judgeCase(
  env: Env,
  run: { workspaceId: string; judge: ModelSpec | null; scorers: readonly EvalScorerConfig[] },
  c: EvalCaseInput,
  seen: TurnObservation,
  meter?: UsageMeter,
): Promise<{ scores: EvalScore[]; tokensIn: number; tokensOut: number }> {
  const out = { scores: [] as EvalScore[], tokensIn: 0, tokensOut: 0 };
  const spec = run.judge;
  if (!spec) return out;
  for (const scorer of run.scorers) {
    if (!isJudge(scorer.name)) continue;
    const prompt = await promptFor(env, run.workspaceId, scorer, c, seen);
    if (!prompt) continue;
    const call = await askJudge(env, run.workspaceId, spec, prompt, meter);
    out.tokensIn += call.tokensIn;
    out.tokensOut += call.tokensOut;
    if (!call.verdict) continue;
    const threshold = scorer.threshold ?? DEFAULT_THRESHOLD;
    const pass = call.verdict.score >= threshold;
    out.scores.push({
      scorer: scorer.name,
      value: call.verdict.score,
      pass,
      threshold,
      judge: true,
      ...(call.verdict.reason ? { reason: call.verdict.reason } : {}),
    });
  }
  return out;
}

export type Preference = Omit<EvalPreference, "case_key">;

/** Pairwise preference between two answers to one question, shown in random order. */
export async function preferPair(
  env: Env,
  workspaceId: string,
  spec: ModelSpec,
  question: string,
  baseline: string,
  candidate: string,
  random: () => number = Math.random,
  meter?: UsageMeter,
): Promise<Preference | null> {
  const baselineFirst = random() < 0.5;
  const [a, b] = baselineFirst ? [baseline, candidate] : [candidate, baseline];
  const call = await askJudge(
    env,
    workspaceId,
    spec,
    `Question:\n${question}\n\nAnswer A:\n${a}\n\nAnswer B:\n${b}\n\nWhich answer is better? Score 1 when A is clearly better, 0 when B is clearly better, 0.5 when they are equally good.`,
    meter,
  );
  if (!call.verdict) return null;
  const { score, reason } = call.verdict;
  const aWins = score > 0.5;
  const winner = score === 0.5 ? "tie" : aWins === baselineFirst ? "baseline" : "candidate";
  return { winner, baseline_position: baselineFirst ? "A" : "B", reason };
}
