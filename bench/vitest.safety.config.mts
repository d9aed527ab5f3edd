// Runs bench/safety.bench-in-workerd.ts inside workerd (the runtime the detectors ship in), with
// the project's test setup. Driven by bench/safety.ts, which writes the texts to time to a file
// (SAFETY_BENCH_TEXTS): workers cannot read the host's files, so they travel through provide/inject.
import { readFileSync } from "node:fs";
import { defineConfig, type ViteUserConfig } from "vitest/config";
import root from "../vitest.config.mjs";

export default defineConfig(async (env) => {
  const base: ViteUserConfig = await (typeof root === "function" ? root(env) : root);
  const file = process.env.SAFETY_BENCH_TEXTS;
  if (!file) throw new Error("SAFETY_BENCH_TEXTS is not set: run node --import tsx bench/safety.ts");
  const safetyBench = {
    batches: Number(process.env.SAFETY_BENCH_BATCHES ?? 200),
    texts: JSON.parse(readFileSync(file, "utf8")),
  };
  return {
    ...base,
    test: {
      ...base.test,
      include: ["bench/safety.bench-in-workerd.ts"],
      testTimeout: 600_000,
      provide: { safetyBench },
    },
  };
});
