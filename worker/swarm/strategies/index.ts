// The planner for a run's strategy.
import type { RunConfig } from "@hive/shared/swarm-protocol";
import { debate } from "./debate";
import { parallel } from "./parallel";
import { pipeline } from "./pipeline";
import { router } from "./router";
import type { Plan, RunView, Settled } from "./types";

export function planNext(run: RunView, settled: Settled): Plan {
  const { config } = run;
  switch (config.strategy) {
    case "pipeline":
      return pipeline.plan({ ...run, config }, settled);
    case "parallel":
      return parallel.plan({ ...run, config }, settled);
    case "router":
      return router.plan({ ...run, config }, settled);
    case "debate":
      return debate.plan({ ...run, config }, settled);
  }
}

export function minSteps(config: RunConfig): number {
  switch (config.strategy) {
    case "pipeline":
      return pipeline.minSteps(config);
    case "parallel":
      return parallel.minSteps(config);
    case "router":
      return router.minSteps(config);
    case "debate":
      return debate.minSteps(config);
  }
}

/** Every agent the run involves, each once: the workers and the aggregator, router or judge. */
export function involvedAgents(config: RunConfig): string[] {
  const extra =
    config.strategy === "parallel"
      ? [config.aggregator_id]
      : config.strategy === "router"
        ? [config.router_id]
        : config.strategy === "debate" && config.judge_id
          ? [config.judge_id]
          : [];
  return [...new Set([...config.agent_ids, ...extra])];
}
