// What the coordinator writes to D1 as a run goes: one eval_results row per case (upserted by
// run and case, so a retried case still leaves exactly one), the run's progress after each case,
// and its final state. Tokens and costs are the sums of the run's usage_events rows, so they agree
// with GET /api/usage.
import type { EvalScore } from "@hive/shared/api-types/evals";
import { and, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { Database } from "../core/db";
import { evalResults, evalRuns, usageEvents } from "../core/db/schema";
import type { TurnObservation } from "./observe";
import type { RunSummary } from "./run-summary";

export interface Spent {
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
}

/** What the run's model calls cost, from their usage_events rows (worker/usage/meter.ts): all of
 * them, or one case's (its conversation's turn and the judge calls charged to it). */
export async function spentBy(
  db: Database,
  workspaceId: string,
  runId: string,
  of?: { conversationId: string } | { swarmRunId: string },
): Promise<Spent> {
  const scope =
    of === undefined
      ? // The whole run: its own calls, and the model calls of the swarm runs its cases started.
        or(
          eq(usageEvents.evalRunId, runId),
          inArray(
            usageEvents.runId,
            db
              .select({ id: evalResults.swarmRunId })
              .from(evalResults)
              .where(and(eq(evalResults.runId, runId), isNotNull(evalResults.swarmRunId))),
          ),
        )
      : "conversationId" in of
        ? and(eq(usageEvents.evalRunId, runId), eq(usageEvents.conversationId, of.conversationId))
        : eq(usageEvents.runId, of.swarmRunId);
  const [row] = await db
    .select({
      tokensIn: sql<number>`coalesce(sum(${usageEvents.inputTokens}), 0)`,
      tokensOut: sql<number>`coalesce(sum(${usageEvents.outputTokens}), 0)`,
      costUsd: sql<number>`coalesce(sum(${usageEvents.costUsd}), 0)`,
    })
    .from(usageEvents)
    .where(and(eq(usageEvents.workspaceId, workspaceId), scope));
  return row ?? { tokensIn: 0, tokensOut: 0, costUsd: 0 };
}

export interface ResultRecord {
  runId: string;
  workspaceId: string;
  caseId: string;
  position: number;
  status: "done" | "error";
  conversationId: string | null;
  traceId: string | null;
  swarmRunId: string | null;
  seen: TurnObservation | null;
  spent: Spent;
  scores: EvalScore[];
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
    traceId: r.traceId,
    tokensIn: r.spent.tokensIn,
    tokensOut: r.spent.tokensOut,
    costUsd: r.spent.costUsd,
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
