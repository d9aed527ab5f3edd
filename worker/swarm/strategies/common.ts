// Small pieces every strategy uses: naming agents, turning agents into choice candidates and
// the outcomes that end a run.
import type { Contribution } from "../prompts";
import type { Candidate, FailureCode, Plan, RunView, SettledStep, StepSpec } from "./types";

export const majority = (n: number) => Math.floor(n / 2) + 1;

export const nameOf = (run: RunView, agentId: string) => run.agents.get(agentId)?.name ?? agentId;

export const candidates = (run: RunView, ids: readonly string[]): Candidate[] =>
  ids.map((id, i) => ({ id, name: nameOf(run, id), label: i + 1 }));

export const contribution = (run: RunView, step: SettledStep): Contribution => ({
  name: nameOf(run, step.agentId),
  text: step.output ?? "",
});

export const runSteps = (steps: StepSpec[], note?: string): Plan => ({
  kind: "steps",
  steps,
  ...(note ? { note } : {}),
});

export const succeeded = (output: string | null, reason: string): Plan => ({
  kind: "done",
  status: "succeeded",
  reason,
  output,
});

export const failed = (code: FailureCode, reason: string): Plan => ({
  kind: "done",
  status: "failed",
  code,
  reason,
  output: null,
});

/** A step that did not produce a usable answer ends the run (strategies without a quorum). */
export function stepFailed(run: RunView, step: SettledStep): Plan {
  const code = step.status === "invalid" ? "INVALID_CHOICE" : "STEP_FAILED";
  return failed(code, `step ${step.key} (${nameOf(run, step.agentId)}) ${step.status}: ${step.error ?? "no answer"}`);
}
