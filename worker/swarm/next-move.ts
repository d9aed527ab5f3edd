// What an open run does next, decided from its persisted state alone: end (deadline, budgets,
// the strategy is done), hand over to the next alarm, or run a wave of steps. Pure, so an
// evicted coordinator that wakes with the same state makes the same decision.
import type { SwarmErrorCode, TerminalStatus } from "@hive/shared/swarm-protocol";
import type { RunState } from "./run-state";
import { planNext } from "./strategies";
import type { SettledStep, StepSpec } from "./strategies/types";

export type Move =
  | { kind: "finish"; status: TerminalStatus; reason: string; output: string | null; code?: SwarmErrorCode }
  /** The alarm handler's slice is used up: continue in the next alarm. */
  | { kind: "yield" }
  /** `fresh`: how many of the steps the run has not created yet (they count toward max_steps). */
  | { kind: "wave"; steps: StepSpec[]; fresh: number; note?: string };

export const deadlineReason = (run: RunState) => `the deadline of ${run.config.budget.deadline_ms} ms passed`;

/** The next move of an open run at `now`; `known` says whether a step key already exists. */
export function nextMove(
  run: RunState,
  settled: Map<string, SettledStep>,
  known: (key: string) => boolean,
  now: number,
  sliceEnds: number,
): Move {
  const { budget } = run.config;
  const fail = (reason: string): Move => ({
    kind: "finish",
    status: "failed",
    reason,
    output: null,
    code: "BUDGET_EXCEEDED",
  });
  if (now >= run.deadlineAt) return { kind: "finish", status: "timed_out", reason: deadlineReason(run), output: null };
  if (run.tokensUsed > budget.max_tokens) {
    return fail(`the token budget was exceeded: ${run.tokensUsed} of ${budget.max_tokens} tokens used`);
  }
  if (now >= sliceEnds) return { kind: "yield" };
  const plan = planNext({ config: run.config, agents: new Map(run.agents.map((a) => [a.id, a])) }, settled);
  if (plan.kind === "done") {
    return {
      kind: "finish",
      status: plan.status,
      reason: plan.reason,
      output: plan.output,
      ...(plan.code ? { code: plan.code } : {}),
    };
  }
  const fresh = plan.steps.filter((s) => !known(s.key)).length;
  if (run.stepsUsed + fresh > budget.max_steps) {
    return fail(`the next ${fresh} step(s) would exceed max_steps (${run.stepsUsed} of ${budget.max_steps} used)`);
  }
  if (run.tokensUsed >= budget.max_tokens) return fail(`the token budget of ${budget.max_tokens} is used up`);
  return { kind: "wave", steps: plan.steps, fresh, ...(plan.note ? { note: plan.note } : {}) };
}

/** How long a wave may take before the coordinator's alarm assumes its instance died. */
export const watchdogMs = (p: RunState["config"]["step"]) => p.max_attempts * (p.timeout_ms + p.backoff_ms * 8) + 5_000;
