// A run and its steps as the coordinator keeps them while the run works (its SQLite holds
// them; durable-objects/swarm-store.ts). The step runner, the D1 mirror and the API's records
// all read these shapes, so they are defined here, beside that logic, and the host imports them.
import {
  type RunAgent,
  type RunConfig,
  type RunStatus,
  StartRunBody,
  type StepRole,
  type StepStatus,
  type SwarmRunDetail,
} from "@hive/shared/swarm-protocol";
import type { StepSpec } from "./strategies/types";

export interface RunState {
  id: string;
  workspaceId: string;
  createdBy: string;
  config: RunConfig;
  agents: RunAgent[];
  status: RunStatus;
  reason: string | null;
  output: string | null;
  tokensUsed: number;
  stepsUsed: number;
  createdAt: number;
  startedAt: number;
  endedAt: number | null;
  deadlineAt: number;
  /** Set once the ended run and all its steps are in D1. */
  recorded?: boolean;
}

/** What the Worker hands the coordinator to start a run (it has checked the caller and the agents). */
export interface StartInput {
  runId: string;
  workspaceId: string;
  createdBy: string;
  config: RunConfig;
  agents: RunAgent[];
  createdAt: number;
  /** The starting request's trace: the coordinator's alarms continue it. */
  traceparent?: string;
}

export type CancelResult = { ok: true; cancelled: boolean; run: SwarmRunDetail } | { ok: false; code: "NOT_FOUND" };

/** A run as it starts at `now`: running, nothing used, the deadline set from its budget. */
export function startedRun(input: StartInput, now: number): RunState {
  const config = StartRunBody.parse(input.config);
  return {
    id: input.runId,
    workspaceId: input.workspaceId,
    createdBy: input.createdBy,
    config,
    agents: input.agents,
    status: "running",
    reason: null,
    output: null,
    tokensUsed: 0,
    stepsUsed: 0,
    createdAt: input.createdAt,
    startedAt: now,
    endedAt: null,
    deadlineAt: now + config.budget.deadline_ms,
  };
}

export interface StepRecord {
  seq: number;
  key: string;
  agentId: string;
  role: StepRole;
  round: number;
  status: StepStatus;
  input: string;
  output: string | null;
  choice: string | null;
  tokensIn: number;
  tokensOut: number;
  attempts: number;
  model: string | null;
  degraded: boolean;
  error: string | null;
  startedAt: number | null;
  endedAt: number | null;
  latencyMs: number | null;
  /** The trace of the step's first attempt (the dashboard links to its waterfall). */
  traceId: string | null;
}

export interface StepOutcome {
  status: "succeeded" | "invalid" | "failed" | "cancelled";
  output?: string | null;
  choice?: string | null;
  tokensIn?: number;
  tokensOut?: number;
  model?: string | null;
  degraded?: boolean;
  error?: string | null;
  endedAt: number;
  latencyMs?: number | null;
}

/** What running a step needs from the coordinator's storage (every change is durable at once). */
export interface StepStore {
  run(): RunState | null;
  stepBySeq(seq: number): StepRecord | null;
  /** The step for `spec`, created (pending, next seq) the first time the plan names it. */
  ensureStep(spec: StepSpec): { step: StepRecord; created: boolean };
  /** Counts an attempt before it starts, so an eviction mid-attempt still uses it up. */
  beginAttempt(seq: number, now: number): StepRecord | null;
  /** Settles an open step; false if it had already settled (e.g. the run was cancelled meanwhile). */
  settle(seq: number, o: StepOutcome): boolean;
}
