// Swarm coordination overhead (issue 7): runs bench/swarm-overhead.bench-in-workerd.ts inside
// workerd through Vitest (bench/vitest.swarm-overhead.config.mts) and appends a section to
// BENCHMARKS.md.
// Why inside workerd and not against `wrangler dev`: router and debate runs need agents that
// answer with a route or a vote, so the model must be scripted per agent. Tests already do that
// with setProviderOverrides, a seam that only exists when ENVIRONMENT is "test"; reusing it
// keeps any scripted provider out of a server anyone could reach, and leaves wrangler dev's
// proxy out of the figures.
// Run: node --import tsx bench/swarm-overhead.ts [--latency 100] [--repeats 5]
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { appendReport } from "./lib/report";

interface Case {
  strategy: string;
  agents: number;
  latency_ms: number;
  waves: number;
  critical_ms: number;
  wall_ms: number;
  overhead_ms: number;
  coordinator_ms: number;
  coordinator_overhead_ms: number;
}

const { values } = parseArgs({
  options: { latency: { type: "string", default: "100" }, repeats: { type: "string", default: "5" } },
});
const load = loadavg()[0] ?? 0;
const run = spawnSync("npx", ["vitest", "run", "--config", "bench/vitest.swarm-overhead.config.mts"], {
  encoding: "utf8",
  env: { ...process.env, SWARM_BENCH_LATENCY_MS: values.latency, SWARM_BENCH_REPEATS: values.repeats },
  maxBuffer: 64 * 1024 * 1024,
});
const cases = (run.stdout + run.stderr).split("\n").flatMap((line) => {
  const at = line.indexOf("SWARM_BENCH ");
  return at < 0 ? [] : [JSON.parse(line.slice(at + "SWARM_BENCH ".length)) as Case];
});
if (run.status !== 0 || cases.length === 0)
  throw new Error(`benchmark failed (exit ${run.status}):\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);

const table = [
  "| strategy | agents | waves | critical path ms | wall ms | overhead ms | per wave ms | coordinator ms | coordinator overhead ms |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...cases.map(
    (c) =>
      `| ${c.strategy} | ${c.agents} | ${c.waves} | ${c.critical_ms} | ${c.wall_ms} | ${c.overhead_ms} | ${(c.overhead_ms / c.waves).toFixed(0)} | ${c.coordinator_ms} | ${c.coordinator_overhead_ms} |`,
  ),
].join("\n");
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, load average ${load.toFixed(1)} at start (the machine is shared)`;
const report = `
## Swarm coordination overhead (issue 7)

${new Date().toISOString().slice(0, 10)} · ${machine} · inside workerd (Vitest pool, local D1), every agent's scripted model answers after ${values.latency} ms · median of ${values.repeats} runs per case after one warm-up run.

Critical path = the model time a run must wait for: pipeline n × ${values.latency} ms; parallel (map, reduce), router (route, specialist) and debate (1 round: propose, vote) 2 × ${values.latency} ms. **wall** = POST /api/swarm/runs until the final \`result\` message arrives on the run's WebSocket; **overhead** = wall − critical path (HTTP start with auth and D1 insert, coordinator alarm start, per-step storage, events, D1 mirror, socket delivery). **coordinator** = the run's own started_at → ended_at (no HTTP start, no socket delivery).

${table}

Locally D1, KV, every Durable Object and the test client share one workerd process (and, here, two cores with other jobs), so these figures are upper bounds and vary by tens of milliseconds between runs: router at 2 and 10 agents does the same work.

Reproduce: \`node --import tsx bench/swarm-overhead.ts --latency ${values.latency} --repeats ${values.repeats}\`
`;
appendReport(report);
