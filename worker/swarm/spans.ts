// A swarm run in a trace: `swarm.run {strategy}` around each drive of the run by its coordinator
// (one alarm tick: the run may take several), `swarm.step {role}` around each step, whose agent
// turn (invoke_agent, in the agent's object) continues the same trace. Counts and outcomes only:
// a step's input and output stay in the run's record.
import { activeSegment, withSpan } from "../core/trace/tracer";
import type { RunState, StepStore } from "./run-state";
import type { StepSpec } from "./strategies/types";

/** Drives the run under its span; `current` reads the run's state before and after. */
export function swarmRunSpan(current: () => RunState | null, drive: () => Promise<void>): Promise<void> {
  const run = current();
  if (!run) return drive();
  const marks = activeSegment()?.marks;
  if (marks) {
    marks.runId ??= run.id;
    marks.workspaceId ??= run.workspaceId;
  }
  const attributes = {
    "liquid_hive.swarm.run_id": run.id,
    "liquid_hive.swarm.strategy": run.config.strategy,
    "liquid_hive.swarm.agents": run.agents.length,
  };
  return withSpan(`swarm.run ${run.config.strategy}`, attributes, async (span) => {
    await drive();
    const after = current();
    if (!after) return;
    span.setAttributes({
      "liquid_hive.swarm.status": after.status,
      "liquid_hive.swarm.steps_used": after.stepsUsed,
      "liquid_hive.swarm.tokens_used": after.tokensUsed,
    });
  });
}

/** One step under its span, with how it settled. */
export function swarmStepSpan(store: StepStore, spec: StepSpec, run: () => Promise<void>): Promise<void> {
  const attributes = {
    "liquid_hive.swarm.step.key": spec.key,
    "liquid_hive.swarm.step.role": spec.role,
    "liquid_hive.swarm.step.round": spec.round,
    "gen_ai.agent.id": spec.agentId,
  };
  return withSpan(`swarm.step ${spec.role}`, attributes, async (span) => {
    await run();
    const { step } = store.ensureStep(spec);
    span.setAttributes({
      "liquid_hive.swarm.step.status": step.status,
      "liquid_hive.swarm.step.attempts": step.attempts,
      "gen_ai.usage.input_tokens": step.tokensIn,
      "gen_ai.usage.output_tokens": step.tokensOut,
      "liquid_hive.degraded": step.degraded,
    });
    if (step.status === "failed") span.recordError(Object.assign(new Error("the step failed"), { name: "StepFailed" }));
  });
}
