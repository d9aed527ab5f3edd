// Sustained mixed load against a real `wrangler dev` (temporary state, a free port): N clients
// for D seconds at the highest rate the platform answers; then every acknowledged write is read
// back and every uploaded document must be ready. Prints the rate and p50/p95/p99 per operation;
// exits 1 on any 5xx, lost write or document not ready.
// Run: node --import tsx bench/load.ts [--clients 8] [--seconds 60] [--seed 19]
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { startPlatform } from "../test/browser/helpers/platform";
import { LOAD_PLATFORM_VARS, loadAdmin } from "./lib/load-platform";
import { formatLoadReport, runLoad } from "./lib/mixed-load";

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "8" },
    seconds: { type: "string", default: "60" },
    seed: { type: "string", default: "19" },
  },
});

const platform = await startPlatform({ build: !existsSync("web/dist/index.html"), vars: LOAD_PLATFORM_VARS });
try {
  const report = await runLoad({
    url: platform.url,
    admin: loadAdmin,
    clients: Number(values.clients),
    seconds: Number(values.seconds),
    seed: Number(values.seed),
  });
  console.log(`load: ${values.clients} clients, seed ${values.seed}`);
  console.log(formatLoadReport(report));
  for (const e of report.serverErrors.slice(0, 20)) console.log(`  ${e.op} ${e.status}: ${e.body}`);
  for (const w of report.lostWrites.slice(0, 20)) console.log(`  lost ${w}`);
  if (report.serverErrors.length || report.lostWrites.length || report.documents.notReady.length) process.exitCode = 1;
} finally {
  await platform.stop();
}
