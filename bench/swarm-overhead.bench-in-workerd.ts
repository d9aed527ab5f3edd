// Coordination overhead of swarm runs, measured inside workerd (see bench/swarm-overhead.ts):
// for each strategy with 2, 5 and 10 agents, every agent's model answers after exactly
// LATENCY_MS (scripted), so the model time a run must wait for is its critical path:
//   pipeline n × L · parallel 2 L (map, reduce) · router 2 L (route, specialist) · debate 2 L (propose, vote)
// wall = POST /api/swarm/runs until the final result message arrives on the run's WebSocket;
// overhead = wall − critical path. The run's own started_at → ended_at gives the coordinator's
// share (no HTTP start, no socket delivery). One line per case: `SWARM_BENCH {json}`.

import type { RunConfig, StartRunBody, Strategy, SwarmMessage } from "@hive/shared/swarm-protocol";
import { inject, it } from "vitest";
import { expectStatus, newUserAccess } from "../test/worker/helpers/harness";
import { createSwarmAgents, getRun, openEvents, SwarmModel, watch } from "../test/worker/swarm.helpers";
import { clearProviderOverrides, setProviderOverrides } from "../worker/core/providers/overrides";

declare module "vitest" {
  // biome-ignore lint/suspicious/noExportsInTest: a module augmentation, not a test export
  export interface ProvidedContext {
    swarmBench: { latencyMs: number; repeats: number };
  }
}

const { latencyMs: LATENCY_MS, repeats: REPEATS } = inject("swarmBench");
const SIZES = [2, 5, 10];
const STRATEGIES: Strategy[] = ["pipeline", "parallel", "router", "debate"];

const waves = (strategy: Strategy, n: number) => (strategy === "pipeline" ? n : 2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

it("measures coordination overhead per strategy and size", async () => {
  const access = await newUserAccess();
  const workers = Array.from({ length: 10 }, (_, i) => `w${i}`);
  const ids = await createSwarmAgents(access, [...workers, "agg", "router"]);
  const id = (tag: string) => ids[tag] ?? "";
  // Routers pick specialist 1; voters vote for proposal 1; everyone else just answers.
  const reply = (input: string) =>
    input.includes("ROUTE:") && input.includes("Specialists:")
      ? "ROUTE: 1"
      : input.includes("Vote for the best")
        ? "VOTE: 1"
        : "ok";
  setProviderOverrides({
    model: new SwarmModel(
      Object.fromEntries([...workers, "agg", "router"].map((t) => [t, { reply, delayMs: LATENCY_MS }])),
    ),
  });

  const body = (strategy: Strategy, n: number): StartRunBody => {
    const agent_ids = workers.slice(0, n).map(id);
    const budget = { max_steps: 200, max_agents: 20 };
    if (strategy === "parallel") return { strategy, task: "bench", agent_ids, aggregator_id: id("agg"), budget };
    if (strategy === "router") return { strategy, task: "bench", agent_ids, router_id: id("router"), budget };
    return { strategy, task: "bench", agent_ids, budget } as Extract<RunConfig, { strategy: "pipeline" | "debate" }>;
  };

  for (const strategy of STRATEGIES) {
    for (const n of SIZES) {
      const walls: number[] = [];
      const coordinator: number[] = [];
      for (let r = 0; r < REPEATS + 1; r++) {
        const t0 = Date.now();
        const run = await expectStatus<{ id: string }>(201, "POST", "/api/swarm/runs", {
          token: access,
          body: body(strategy, n),
        });
        const w = watch(await openEvents(run.id, { headers: { Authorization: `Bearer ${access}` } }));
        let finalAt = 0;
        w.socket.addEventListener("message", (e) => {
          if (String(e.data).includes('"final":true')) finalAt = Date.now();
        });
        await w.closed;
        const wall = finalAt - t0;
        const final = w.messages.at(-1) as SwarmMessage | undefined;
        if (final?.type !== "result" || !final.final || final.status !== "succeeded")
          throw new Error(`${strategy}/${n}: ${JSON.stringify(final)}`);
        const detail = await getRun(access, run.id);
        // The first run of each case warms the path (isolate JIT, D1 statements) and is not counted.
        if (r === 0) continue;
        walls.push(wall);
        coordinator.push(Date.parse(detail.ended_at ?? "") - Date.parse(detail.started_at ?? ""));
      }
      const critical = waves(strategy, n) * LATENCY_MS;
      const wall = median(walls);
      const inRun = median(coordinator);
      console.log(
        `SWARM_BENCH ${JSON.stringify({ strategy, agents: n, latency_ms: LATENCY_MS, repeats: REPEATS, waves: waves(strategy, n), critical_ms: critical, wall_ms: wall, overhead_ms: wall - critical, coordinator_ms: inRun, coordinator_overhead_ms: inRun - critical })}`,
      );
    }
  }
  clearProviderOverrides();
});
