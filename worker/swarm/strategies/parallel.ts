// parallel (map-reduce): every agent answers the task at once; when they have all settled and
// at least `quorum` answered (default a majority), the aggregator merges the answers.
import type { ParallelConfig } from "@hive/shared/swarm-protocol";
import type { z } from "zod";
import { aggregatorInput, taskOnly } from "../prompts";
import { contribution, failed, majority, nameOf, runSteps, stepFailed, succeeded } from "./common";
import type { StrategyPlanner } from "./types";

export const parallel: StrategyPlanner<z.output<typeof ParallelConfig>> = {
  minSteps: (config) => config.agent_ids.length + 1,
  plan(run, settled) {
    const { agent_ids: ids, task } = run.config;
    const quorum = run.config.quorum ?? majority(ids.length);
    const maps = ids.map((agentId, i) => ({
      key: `map:${i}`,
      role: "worker" as const,
      agentId,
      round: 0,
      input: taskOnly(task),
    }));
    const pending = maps.filter((m) => !settled.has(m.key));
    if (pending.length) return runSteps(pending);

    const answers = maps.flatMap((m) => {
      const s = settled.get(m.key);
      return s?.status === "succeeded" ? [s] : [];
    });
    if (answers.length < quorum) {
      return failed(
        "QUORUM_NOT_REACHED",
        `${answers.length} of ${ids.length} agents answered; the quorum is ${quorum}`,
      );
    }
    const reduce = settled.get("reduce");
    if (!reduce) {
      const input = aggregatorInput(
        task,
        answers.map((a) => contribution(run, a)),
      );
      return runSteps(
        [{ key: "reduce", role: "aggregator", agentId: run.config.aggregator_id, round: 0, input }],
        `quorum reached: ${answers.length} of ${ids.length} answered`,
      );
    }
    if (reduce.status !== "succeeded") return stepFailed(run, reduce);
    return succeeded(
      reduce.output,
      `${answers.length} of ${ids.length} agents answered (quorum ${quorum}); merged by ${nameOf(run, reduce.agentId)}`,
    );
  },
};
