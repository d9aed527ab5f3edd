// What a strategy is: a pure planner over the run's settled steps. Given the same settled
// steps it always names the same next steps (by key), which is what lets a coordinator that
// was evicted mid-run pick up where it was without running a finished step again.
import type { RunAgent, RunConfig, StepRole, SwarmErrorCode } from "@hive/shared/swarm-protocol";

/** An option an agent may choose (a specialist, a proposal); `label` is its 1-based number. */
export interface Candidate {
  id: string;
  name: string;
  label: number;
  /** What the candidate says (a proposal), weighed by the offline model's vote. */
  text?: string;
}

/** A step that asks the agent to choose: the answer must carry `KEYWORD: <choice>`. */
export interface ChoiceSpec {
  keyword: "ROUTE" | "VOTE" | "WINNER" | "HANDOFF";
  candidates: Candidate[];
  /** Without a choice line the step is invalid (ROUTE, VOTE, WINNER); HANDOFF is optional. */
  required: boolean;
}

export interface StepSpec {
  key: string;
  role: StepRole;
  agentId: string;
  round: number;
  input: string;
  choice?: ChoiceSpec;
}

/** A step that has ended: what the coordinator persisted. */
export interface SettledStep {
  key: string;
  agentId: string;
  round: number;
  status: "succeeded" | "invalid" | "failed" | "cancelled";
  output: string | null;
  choice: string | null;
  error: string | null;
}

export interface RunView<C extends RunConfig = RunConfig> {
  config: C;
  agents: ReadonlyMap<string, RunAgent>;
}

export type Plan =
  | { kind: "steps"; steps: StepSpec[]; note?: string }
  | { kind: "done"; status: "succeeded" | "failed"; reason: string; output: string | null; code?: FailureCode };

export type FailureCode = Extract<
  SwarmErrorCode,
  "QUORUM_NOT_REACHED" | "VOTE_TIED" | "INVALID_CHOICE" | "INVALID_HANDOFF" | "STEP_FAILED" | "BUDGET_EXCEEDED"
>;

export type Settled = ReadonlyMap<string, SettledStep>;

export interface StrategyPlanner<C extends RunConfig = RunConfig> {
  plan(run: RunView<C>, settled: Settled): Plan;
  /** The fewest steps a run can take, checked against max_steps before it starts. */
  minSteps(config: C): number;
}
