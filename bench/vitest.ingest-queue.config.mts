// Runs bench/ingest-queue.bench-in-workerd.ts inside workerd with the project's test setup
// (bindings, migrations, the real ingestion queue and its consumer), so the queue's own pace can
// be measured without wrangler dev's proxy or a client in the way. INGEST_BENCH_DOCS sets the size.
import { defineConfig, type ViteUserConfig } from "vitest/config";
import root from "../vitest.config.mjs";

export default defineConfig(async (env) => {
  const base: ViteUserConfig = await (typeof root === "function" ? root(env) : root);
  // Workers do not see the host's environment; the settings travel through Vitest's provide/inject.
  const ingestBench = { documents: Number(process.env.INGEST_BENCH_DOCS ?? 300) };
  return {
    ...base,
    test: {
      ...base.test,
      include: ["bench/ingest-queue.bench-in-workerd.ts"],
      testTimeout: 900_000,
      hookTimeout: 60_000,
      provide: { ingestBench },
    },
  };
});
