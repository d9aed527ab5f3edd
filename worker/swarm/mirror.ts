// The coordinator's record in D1 (swarm_runs, swarm_steps): what the API lists and what stays
// after the run. Steps are upserted by (run_id, seq), so writing one twice (a retry, a resume
// after eviction, the full re-sync at the end) leaves one row.
import { and, eq, sql } from "drizzle-orm";
import type { RunState, StepRecord } from "../../durable-objects/swarm-store";
import type { Database } from "../core/db";
import { swarmRuns, swarmSteps } from "../core/db/schema";
import { newId } from "../core/ids";

export async function mirrorRun(db: Database, s: RunState): Promise<void> {
  await db
    .update(swarmRuns)
    .set({ status: s.status, reason: s.reason, output: s.output, tokensUsed: s.tokensUsed, stepsUsed: s.stepsUsed, startedAt: s.startedAt, endedAt: s.endedAt, deadlineAt: s.deadlineAt })
    .where(and(eq(swarmRuns.id, s.id), eq(swarmRuns.workspaceId, s.workspaceId)));
}

const upsert = (db: Database, run: Pick<RunState, "id" | "workspaceId">, r: StepRecord) => {
  const values = {
    agentId: r.agentId,
    kind: r.role,
    key: r.key,
    round: r.round,
    status: r.status,
    input: r.input,
    output: r.output,
    vote: r.choice,
    tokensIn: r.tokensIn,
    tokensOut: r.tokensOut,
    attempts: r.attempts,
    model: r.model,
    degraded: r.degraded,
    latencyMs: r.latencyMs,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    error: r.error,
  };
  return db
    .insert(swarmSteps)
    .values({ id: newId("step"), workspaceId: run.workspaceId, runId: run.id, seq: r.seq, ...values })
    .onConflictDoUpdate({ target: [swarmSteps.runId, swarmSteps.seq], set: values, setWhere: sql`${swarmSteps.workspaceId} = ${run.workspaceId}` });
};

export async function mirrorSteps(db: Database, run: Pick<RunState, "id" | "workspaceId">, steps: readonly StepRecord[]): Promise<void> {
  const [first, ...rest] = steps.map((r) => upsert(db, run, r));
  if (!first) return;
  await db.batch([first, ...rest]);
}
