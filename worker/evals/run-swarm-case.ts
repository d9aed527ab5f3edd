// One case of an evaluation run over a swarm: the case's user messages become the task of a real
// swarm run, started exactly as POST /api/swarm/runs starts one (worker/swarm/start.ts: the input
// safety stage, the run row with its audit row, the coordinator), for the run's creator with the
// agents pinned when the evaluation was planned. The coordinator does not wait on it: each alarm
// tick reads the run's row in D1 until it ends, and its output is the answer scored.
import type { EvalScorerConfig, EvalScorerName } from "@hive/shared/api-types/evals";
import { isTerminal, type RunStatus } from "@hive/shared/swarm-protocol";
import { and, eq } from "drizzle-orm";
import type { AuditRow } from "../audit/audit";
import { getConfig } from "../core/config";
import type { Database } from "../core/db";
import { swarmRuns } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import { activeTraceId } from "../core/trace/links";
import { coordinator as swarmCoordinator } from "../swarm/service";
import { launchRun, type SwarmStarter, screenTask } from "../swarm/start";
import { usageTotals } from "../usage/report";
import { emptyObservation, type TurnObservation } from "./observe";
import { userMessages } from "./run-case";
import type { RunPlan, StoredCase, SwarmTarget } from "./run-store";

/** What a swarm run does not report: the documents its agents retrieved and cited, their tool calls. */
const UNOBSERVED: readonly EvalScorerName[] = [
  "citation_validity",
  "recall_at_k",
  "mrr",
  "tool_call_f1",
  "faithfulness",
];

/** The scorers a swarm's answer can be scored with: the others are skipped, never scored 0. */
export const observableInSwarms = (scorers: readonly EvalScorerConfig[]) =>
  scorers.filter((s) => !UNOBSERVED.includes(s.name));

export type SwarmStart = { swarmRunId: string } | { blocked: TurnObservation };

export async function startSwarmCase(
  env: Env,
  db: Database,
  plan: RunPlan,
  target: SwarmTarget,
  c: StoredCase,
  defer: SwarmStarter["defer"],
): Promise<SwarmStart> {
  const starter: SwarmStarter = {
    env,
    config: getConfig(env),
    db,
    caller: { workspaceId: plan.workspaceId, userId: plan.createdBy },
    requestId: `${plan.runId}:${c.caseId}`,
    defer,
  };
  const started = Date.now();
  let task: string;
  try {
    task = await screenTask(starter, userMessages(c.body.input).join("\n\n"));
  } catch (err) {
    // The input stage blocked the case: a refusal, scored as the chat path scores a blocked turn.
    if (err instanceof ApiError && err.details.stage === "input")
      return { blocked: { ...emptyObservation(Date.now() - started), blocked: true } };
    throw err;
  }
  const id = newId("run");
  const audit: AuditRow = {
    id: newId("aud"),
    workspaceId: plan.workspaceId,
    actorId: plan.createdBy,
    actorKind: "user",
    action: "swarm.run.start",
    targetType: "swarm_run",
    targetId: id,
    outcome: "success",
    ip: null,
    requestId: starter.requestId,
    traceId: activeTraceId(),
    detail: { strategy: target.config.strategy, agents: target.agents.map((a) => a.id), eval_run: plan.runId },
    createdAt: Date.now(),
  };
  await launchRun(starter, id, { ...target.config, task }, target.agents, audit);
  return { swarmRunId: id };
}

/** The swarm run's answer once it has ended, or null while it runs. */
export async function swarmOutcome(
  db: Database,
  workspaceId: string,
  swarmRunId: string,
  startedAt: number,
): Promise<TurnObservation | null> {
  const [row] = await db
    .select({
      status: swarmRuns.status,
      reason: swarmRuns.reason,
      output: swarmRuns.output,
      tokens: swarmRuns.tokensUsed,
    })
    .from(swarmRuns)
    .where(and(eq(swarmRuns.id, swarmRunId), eq(swarmRuns.workspaceId, workspaceId)))
    .limit(1);
  const seen = emptyObservation(Date.now() - startedAt);
  if (!row) return { ...seen, error: "the swarm run is gone" };
  if (!isTerminal(row.status as RunStatus)) return null;
  const usage = await usageTotals(db, workspaceId, "runId", swarmRunId);
  return {
    ...seen,
    output: row.output ?? "",
    tokens: row.tokens,
    tokens_in: row.tokens,
    cost: usage.cost_usd,
    error: row.status === "succeeded" ? null : `the swarm run ${row.status}${row.reason ? `: ${row.reason}` : ""}`,
  };
}

/** Cancels a case's swarm run (one already ended stays as it is). */
export async function cancelSwarm(env: Env, plan: RunPlan, swarmRunId: string): Promise<void> {
  await swarmCoordinator(env, swarmRunId).cancel(plan.workspaceId, plan.createdBy);
}
