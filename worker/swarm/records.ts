// One shape for a run and its steps, whether read from the coordinator (live) or from D1 (the
// record): the API answers, the D1 mirror and the coordinator's snapshots all go through here.
import { StartRunBody, type RunAgent, type RunConfig, type RunStatus, type StepRole, type StepStatus, type SwarmRun, type SwarmStep } from "../../shared/swarm-protocol";
import type { RunState, StepRecord } from "../../durable-objects/swarm-store";
import type { swarmRuns, swarmSteps } from "../core/db/schema";

type RunRow = typeof swarmRuns.$inferSelect;
type StepRow = typeof swarmSteps.$inferSelect;

/** What swarm_runs.config holds: the validated request and the agents pinned at start. */
export interface StoredConfig {
  request: RunConfig;
  agents: RunAgent[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function runFromState(s: RunState): SwarmRun {
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
  };
}

export function runFromRow(row: RunRow): SwarmRun {
  const stored = row.config as unknown as StoredConfig;
  const config = StartRunBody.parse(stored.request);
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    created_by: row.createdBy,
    strategy: config.strategy,
    task: row.task,
    status: row.status as RunStatus,
    reason: row.reason,
    output: row.output,
    config,
    agents: stored.agents,
    tokens_used: row.tokensUsed,
    steps_used: row.stepsUsed,
    created_at: new Date(row.createdAt).toISOString(),
    started_at: iso(row.startedAt),
    ended_at: iso(row.endedAt),
    deadline_at: iso(row.deadlineAt),
  };
}

export function stepFromRow(row: StepRow): SwarmStep {
  return {
    seq: row.seq,
    key: row.key ?? `step:${row.seq}`,
    agent_id: row.agentId,
    role: row.kind as StepRole,
    round: row.round,
    status: row.status as StepStatus,
    input: row.input,
    output: row.output,
    choice: row.vote,
    tokens_in: row.tokensIn,
    tokens_out: row.tokensOut,
    attempts: row.attempts,
    model: row.model,
    degraded: row.degraded,
    error: row.error,
    started_at: iso(row.startedAt),
    ended_at: iso(row.endedAt),
    latency_ms: row.latencyMs,
  };
}
