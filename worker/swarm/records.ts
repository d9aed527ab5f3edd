// One shape for a run and its steps, whether read from the coordinator (live) or from D1 (the
// record): the API answers, the D1 mirror and the coordinator's snapshots all go through here.
import {
  type RunAgent,
  type RunConfig,
  StartRunBody,
  type SwarmRun,
  type SwarmStep,
} from "@hive/shared/swarm-protocol";
import type { swarmRuns, swarmSteps } from "../core/db/schema";
import type { RunState, StepRecord } from "./run-state";

type RunRow = typeof swarmRuns.$inferSelect;
type StepRow = typeof swarmSteps.$inferSelect;

/** What swarm_runs.config holds: the validated request and the agents pinned at start. */
export interface StoredConfig {
  request: RunConfig;
  agents: RunAgent[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The coordinator's state, or a D1 row of a run that never started (no start or deadline yet). */
type RunLike = Omit<RunState, "startedAt" | "deadlineAt"> & { startedAt: number | null; deadlineAt: number | null };

export function runFromState(s: RunLike): SwarmRun {
  return {
    id: s.id,
    workspace_id: s.workspaceId,
    created_by: s.createdBy,
    strategy: s.config.strategy,
    task: s.config.task,
    status: s.status,
    reason: s.reason,
    output: s.output,
    config: s.config,
    agents: s.agents,
    tokens_used: s.tokensUsed,
    steps_used: s.stepsUsed,
    created_at: new Date(s.createdAt).toISOString(),
    started_at: iso(s.startedAt),
    ended_at: iso(s.endedAt),
    deadline_at: iso(s.deadlineAt),
  };
}

export function stepFromRecord(r: StepRecord): SwarmStep {
  return {
    seq: r.seq,
    key: r.key,
    agent_id: r.agentId,
    role: r.role,
    round: r.round,
    status: r.status,
    input: r.input,
    output: r.output,
    choice: r.choice,
    tokens_in: r.tokensIn,
    tokens_out: r.tokensOut,
    attempts: r.attempts,
    model: r.model,
    degraded: r.degraded,
    error: r.error,
    started_at: iso(r.startedAt),
    ended_at: iso(r.endedAt),
    latency_ms: r.latencyMs,
    trace_id: r.traceId,
  };
}

/** A D1 row read back as the coordinator's state, so both render through runFromState. */
export function runFromRow(row: RunRow): SwarmRun {
  const stored = row.config as unknown as StoredConfig;
  return runFromState({
    id: row.id,
    workspaceId: row.workspaceId,
    createdBy: row.createdBy,
    config: StartRunBody.parse(stored.request),
    agents: stored.agents,
    status: row.status as RunLike["status"],
    reason: row.reason,
    output: row.output,
    tokensUsed: row.tokensUsed,
    stepsUsed: row.stepsUsed,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    deadlineAt: row.deadlineAt,
  });
}

export function stepFromRow(row: StepRow): SwarmStep {
  return stepFromRecord({
    seq: row.seq,
    key: row.key ?? `step:${row.seq}`,
    agentId: row.agentId ?? "",
    role: row.kind as StepRecord["role"],
    round: row.round,
    status: row.status as StepRecord["status"],
    input: row.input ?? "",
    output: row.output,
    choice: row.vote,
    tokensIn: row.tokensIn,
    tokensOut: row.tokensOut,
    attempts: row.attempts,
    model: row.model,
    degraded: row.degraded,
    error: row.error,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    latencyMs: row.latencyMs,
    traceId: row.traceId,
  });
}
