// pipeline: the agents in the listed order, each given the task and the previous agent's
// output; the last output is the run's. Any step without an answer ends the run failed.
import type { PipelineConfig } from "@hive/shared/swarm-protocol";
import type { z } from "zod";
import { type Contribution, pipelineInput } from "../prompts";
import { contribution, runSteps, stepFailed, succeeded } from "./common";
import type { StrategyPlanner } from "./types";

export const pipeline: StrategyPlanner<z.output<typeof PipelineConfig>> = {
  minSteps: (config) => config.agent_ids.length,
  plan(run, settled) {
    let previous: Contribution | null = null;
    for (const [i, agentId] of run.config.agent_ids.entries()) {
      const key = `pipe:${i}`;
      const step = settled.get(key);
      if (!step)
        return runSteps([{ key, role: "worker", agentId, round: 0, input: pipelineInput(run.config.task, previous) }]);
      if (step.status !== "succeeded") return stepFailed(run, step);
      previous = contribution(run, step);
    }
    return succeeded(previous?.text ?? null, `all ${run.config.agent_ids.length} agents worked in sequence`);
  },
};
