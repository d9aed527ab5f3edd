// The long fuzz run: the same seeded generator as the test suite (test/worker/helpers/fuzz),
// at least 10,000 requests against a real `wrangler dev` started on a free port with temporary
// state (test/browser/helpers/platform.ts). Prints the counts by status and by route, and every
// answer that breaks the rules: a 5xx, a non-2xx that is not the error envelope (the /v1 and
// /mcp error shapes aside), or no complete answer within the timeout. Exits 1 if there is one.
// Run: node --import tsx bench/fuzz.ts [--requests 10000] [--seed 4581] [--concurrency 4]
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { startPlatform } from "../test/browser/helpers/platform";
import type { Fetcher } from "../test/worker/helpers/fuzz/fixture";
import { describeProblem, prepareCampaign } from "../test/worker/helpers/fuzz/run";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "10000" },
    seed: { type: "string", default: "4581" },
    concurrency: { type: "string", default: "4" },
  },
});
const count = Number(values.requests);
const seed = Number(values.seed);
const admin = { email: "fuzz-admin@liquid-hive.local", password: "fuzz-admin-password-123" };
// The dashboard origin the Worker trusts for cookie writes (PUBLIC_ORIGIN's default).
const DASHBOARD_ORIGIN = "http://localhost:8787";

const platform = await startPlatform({
  build: !existsSync("web/dist/index.html"),
  vars: {
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    // Throttling is not under test here: every request should reach the code behind it.
    RATE_LIMITS:
      "auth=1000000000/60,read=1000000000/60,write=1000000000/60,chat=1000000000/60,chat_tokens=1000000000/60",
    LOG_LEVEL: "error",
  },
});
let failed = false;
try {
  const fetcher: Fetcher = (path, init) => fetch(`${platform.url}${path}`, init);
  const run = await prepareCampaign(fetcher, admin, DASHBOARD_ORIGIN);
  const started = performance.now();
  const report = await run({ seed, count, concurrency: Number(values.concurrency) });
  const seconds = (performance.now() - started) / 1000;

  console.log(
    `fuzz: ${report.total} requests, seed ${seed}, ${values.concurrency} in flight, ${seconds.toFixed(1)} s (${(report.total / seconds).toFixed(0)} req/s)`,
  );
  console.log(
    `by status: ${Object.entries(report.byStatus)
      .map(([s, n]) => `${s}=${n}`)
      .join("  ")}`,
  );
  console.log(
    `2xx by principal: ${Object.entries(report.successesBy)
      .map(([p, n]) => `${p}=${n}`)
      .join("  ")}`,
  );
  console.log("by route:");
  for (const [route, byStatus] of Object.entries(report.byRoute).sort(([a], [b]) => (a < b ? -1 : 1))) {
    console.log(
      `  ${route.padEnd(64)} ${Object.entries(byStatus)
        .map(([s, n]) => `${s}=${n}`)
        .join(" ")}`,
    );
  }
  console.log(`problems: ${report.problems.length}`);
  for (const p of report.problems) console.log(`  ${describeProblem(p)}`);
  failed = report.problems.length > 0;
} finally {
  await platform.stop();
}
process.exit(failed ? 1 : 0);
