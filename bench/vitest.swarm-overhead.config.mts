// Runs bench/swarm-overhead.bench-in-workerd.ts inside workerd with the project's test setup
// (bindings, migrations, ENVIRONMENT=test), so the benchmark can script model latencies through
// the same test-only seam the tests use (setProviderOverrides). Driven by bench/swarm-overhead.ts.
import { defineConfig, type ViteUserConfig } from "vitest/config";
import root from "../vitest.config.mjs";

export default defineConfig(async (env) => {
  const base: ViteUserConfig = await (typeof root === "function" ? root(env) : root);
  // Workers do not see the host's environment; the settings travel through Vitest's provide/inject.
  const swarmBench = {
    latencyMs: Number(process.env.SWARM_BENCH_LATENCY_MS ?? 100),
    repeats: Number(process.env.SWARM_BENCH_REPEATS ?? 5),
  };
  return {
    ...base,
    test: {
      ...base.test,
      include: ["bench/swarm-overhead.bench-in-workerd.ts"],
      testTimeout: 600_000,
      hookTimeout: 60_000,
      provide: { swarmBench },
    },
  };
});
