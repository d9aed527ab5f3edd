// What the coordinator writes to D1 as a run goes: one eval_results row per case (upserted by
// run and case, so a retried case still leaves exactly one), the run's progress after each case,
// and its final state. Costs come from the price table (model_prices) per model call.
import type { EvalScore } from "@hive/shared/api-types/evals";
import { and, eq, or } from "drizzle-orm";
import type { Database } from "../core/db";
import { evalResults, evalRuns, modelPrices } from "../core/db/schema";
import type { TurnObservation } from "./observe";
import type { RunSummary } from "./run-summary";

/** The USD cost of a turn's model calls; a model without a price costs nothing. */
export async function priceOf(db: Database, calls: TurnObservation["calls"]): Promise<number> {
  if (calls.length === 0) return 0;
  const pairs = calls.map((c) => {
    const at = c.model.indexOf(":");
    return at < 0
      ? { provider: c.model, model: c.model }
      : { provider: c.model.slice(0, at), model: c.model.slice(at + 1) };
  });
  const prices = await db
    .select()
    .from(modelPrices)
    .where(or(...pairs.map((p) => and(eq(modelPrices.provider, p.provider), eq(modelPrices.model, p.model)))));
  return calls.reduce((sum, c, i) => {
    const p = pairs[i];
    const price = prices.find((r) => r.provider === p?.provider && r.model === p?.model);
    return price ? sum + (c.tokens_in * price.inputUsdPerMtok + c.tokens_out * price.outputUsdPerMtok) / 1e6 : sum;
  }, 0);
}

export interface ResultRecord {
  runId: string;
  workspaceId: string;
  caseId: string;
  position: number;
  status: "done" | "error";
  conversationId: string | null;
  swarmRunId: string | null;
  seen: TurnObservation | null;
  scores: EvalScore[];
  cost: number;
  error: string | null;
  attempts: number;
  startedAt: number;
}

export async function writeResult(db: Database, r: ResultRecord): Promise<void> {
  const seen = r.seen;
  const row = {
    workspaceId: r.workspaceId,
    position: r.position,
    status: r.status,
    output: seen?.output ?? null,
    observed: seen
      ? { blocked: seen.blocked, retrieved: seen.retrieved, cited: seen.cited, tool_calls: seen.tool_calls }
      : null,
    scores: r.scores,
    conversationId: r.conversationId,
    swarmRunId: r.swarmRunId,
    tokensIn: seen?.tokens_in ?? 0,
    tokensOut: seen?.tokens_out ?? 0,
    costUsd: r.cost,
    latencyMs: seen?.latency_ms ?? null,
    error: r.error,
    attempts: r.attempts,
    startedAt: r.startedAt,
    endedAt: Date.now(),
  };
  await db
    .insert(evalResults)
    .values({ runId: r.runId, caseId: r.caseId, ...row })
    .onConflictDoUpdate({ target: [evalResults.runId, evalResults.caseId], set: row });
}

export interface RunProgress {
  casesDone: number;
  tokensUsed: number;
  costUsd: number;
  summary: RunSummary;
}

/** The run's row; a progress update sets counters and summary only (the status is the start's and the end's). */
export async function updateRun(
  db: Database,
  runId: string,
  workspaceId: string,
  set: Partial<typeof evalRuns.$inferInsert>,
): Promise<void> {
  await db
    .update(evalRuns)
    .set(set)
    .where(and(eq(evalRuns.id, runId), eq(evalRuns.workspaceId, workspaceId)));
}

export const progressColumns = (p: RunProgress) => ({
  casesDone: p.casesDone,
  tokensUsed: p.tokensUsed,
  costUsd: p.costUsd,
  summary: p.summary,
});
