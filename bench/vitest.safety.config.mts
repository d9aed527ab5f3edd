// Runs bench/safety.bench-in-workerd.ts inside workerd (the runtime the detectors ship in), with
// the project's test setup. Driven by bench/safety.ts.
import { defineConfig, type ViteUserConfig } from "vitest/config";
import root from "../vitest.config.mjs";

export default defineConfig(async (env) => {
  const base: ViteUserConfig = await (typeof root === "function" ? root(env) : root);
  const safetyBench = { iterations: Number(process.env.SAFETY_BENCH_ITERATIONS ?? 2000) };
  return {
    ...base,
    test: { ...base.test, include: ["bench/safety.bench-in-workerd.ts"], testTimeout: 600_000, provide: { safetyBench } },
  };
});
