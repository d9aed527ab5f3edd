// Bulk ingestion as a user does it (issue 18): the whole Cranfield collection written as 1,400
// files into a folder, then `hive kb upload <folder> --kb <name>` against a platform started from
// cold with DEFAULT limits, until every document is ready; then the same command again, which
// must find everything unchanged and queue nothing. Against that, the ingestion queue's own
// throughput, measured in the same run on a second cold platform whose ingest limits are lifted:
// the same files in batches of 100 sent back to back, timed until every document is ready.
// The ratio CLI wall time / queue time is the target of issue 18 (within 1.5x).
// Run: node --import tsx bench/bulk-ingestion.ts [--dataset <dir>] (default datasets/cranfield)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BATCH_LIMITS, batchesOf, batchFile, HiveClient, type IngestionStatus } from "@hive/shared/api-client";
import type { UploadReport } from "../cli/src/commands/kb-upload-report";
import { type Platform, startPlatform } from "../test/browser/helpers/platform";
import { CRANFIELD_DIR, loadCranfield } from "./knowledge-dataset";
import { benchAgainst, PlatformApi } from "./lib/platform-api";

const { values } = parseArgs({ options: { dataset: { type: "string", default: CRANFIELD_DIR } } });
const dataset = values.dataset;
if (!existsSync(join(dataset, "cran.all.1400"))) {
  console.error(
    `bench/bulk-ingestion: --dataset <dir> must be a folder holding cran.all.1400 (the Cranfield collection, as in datasets/cranfield); got ${dataset}`,
  );
  process.exit(64);
}

const admin = { email: "bench-admin@liquid-hive.local", password: "bench-admin-password-123" };
const LOG_FILE = "/tmp/bulk-ingestion-wrangler.log";
const HIVE = "cli/bin/hive.mjs";
/** Ingestion must not sit still longer than this (the consumer's backoff tops out at 5 minutes). */
const TIMEOUT_S = 1800;

type CliReport = Pick<UploadReport, "files" | "summary" | "rate_limit_wait_ms">;

const { docs } = loadCranfield(dataset);
const folder = await mkdtemp(join(tmpdir(), "bulk-ingestion-"));
for (const d of docs)
  await writeFile(join(folder, `cran-${String(d.id).padStart(4, "0")}.txt`), d.text || d.title || `document ${d.id}`);
const files = await Promise.all(
  docs.map(async (d) => {
    const name = `cran-${String(d.id).padStart(4, "0")}.txt`;
    const bytes = await readFile(join(folder, name));
    return { name, bytes, size: bytes.length };
  }),
);
console.log(`${files.length} files written to ${folder}; load average ${loadavg()[0]?.toFixed(1)}`);

const vars = { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, LOG_LEVEL: "warn" };

/** Signs in as the bootstrap admin and returns an API key with the knowledge scopes, for the CLI. */
async function apiKey(platform: Platform): Promise<string> {
  const api = new PlatformApi(platform.url, admin);
  await api.login();
  const created = await api.call<{ key: string }>("POST", "/api/keys", {
    name: "bulk-ingestion bench",
    scopes: ["knowledge:read", "knowledge:write"],
  });
  return created.key;
}

/** `hive --json kb upload`; resolves with the report and the wall time. */
function hiveUpload(
  url: string,
  key: string,
  config: string,
  kb: string,
): Promise<{ report: CliReport; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [HIVE, "--json", "kb", "upload", folder, "--kb", kb, "--timeout", String(TIMEOUT_S)],
      { env: { ...process.env, NO_COLOR: "1", HIVE_URL: url, HIVE_API_KEY: key, XDG_CONFIG_HOME: config } },
    );
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      try {
        resolve({ report: JSON.parse(out) as CliReport, seconds });
      } catch {
        reject(new Error(`hive kb upload exited ${code} without a report:\n${err.split("\n").slice(-20).join("\n")}`));
      }
    });
  });
}

async function waitIdle(client: HiveClient, kbId: string): Promise<IngestionStatus> {
  const deadline = Date.now() + TIMEOUT_S * 1000;
  for (;;) {
    const status = await client.knowledge.ingestionStatus(kbId);
    if (!status.in_flight || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
}

// 1 and 2: the CLI against default limits, then the same command again.
let cli: { seconds: number; report: CliReport } | undefined;
let rerun: { seconds: number; report: CliReport; queuedAfter: number } | undefined;
const defaults = await startPlatform({ build: !existsSync("web/dist/index.html"), vars });
await benchAgainst(defaults, LOG_FILE, async () => {
  const key = await apiKey(defaults);
  const client = new HiveClient({ baseUrl: defaults.url, token: key });
  const kb = await client.knowledge.create({ name: "Cranfield bulk" });
  const config = await mkdtemp(join(tmpdir(), "bulk-ingestion-cli-"));
  try {
    cli = await hiveUpload(defaults.url, key, config, kb.name);
    const again = await hiveUpload(defaults.url, key, config, kb.name);
    const after = await client.knowledge.ingestionStatus(kb.id);
    rerun = { ...again, queuedAfter: after.counts.queued + after.counts.processing };
  } finally {
    await rm(config, { recursive: true, force: true });
  }
});

// 3: the queue's own pace: the same files, batches back to back, ingest limits lifted.
let queue: { seconds: number; status: IngestionStatus } | undefined;
const lifted = await startPlatform({
  build: false,
  vars: { ...vars, RATE_LIMITS: "ingest=1000000000/60,ingest_bytes=1000000000000/60" },
});
await benchAgainst(lifted, LOG_FILE.replace(".log", "-lifted.log"), async () => {
  const client = new HiveClient({ baseUrl: lifted.url, token: await apiKey(lifted) });
  const kb = await client.knowledge.create({ name: "Cranfield queue" });
  const started = performance.now();
  for (const batch of batchesOf(files, { files: 100, bytes: BATCH_LIMITS.bytes * 4 }))
    await client.knowledge.uploadBatch(
      kb.id,
      batch.map((f) => batchFile(f.name, f.bytes)),
      { timeoutMs: 120_000 },
    );
  const status = await waitIdle(client, kb.id);
  queue = { seconds: (performance.now() - started) / 1000, status };
});
await rm(folder, { recursive: true, force: true });

if (!cli || !rerun || !queue) {
  console.error("bench/bulk-ingestion: a phase failed; see the errors above");
  process.exit(1);
}
const ready = cli.report.files.filter((f) => f.status === "ready").length;
const rows = [
  ["files", String(files.length)],
  ["CLI upload, default limits: wall time (s)", cli.seconds.toFixed(1)],
  ["  documents/s", (ready / cli.seconds).toFixed(1)],
  ["  ready / failed ingestion", `${ready} / ${cli.report.files.filter((f) => f.status === "failed").length}`],
  [
    "  created / unchanged / replaced",
    `${cli.report.summary.created} / ${cli.report.summary.unchanged} / ${cli.report.summary.replaced}`,
  ],
  ["  refused (failed uploads)", String(cli.report.summary.failed)],
  ["  waited on rate limits (s)", (cli.report.rate_limit_wait_ms / 1000).toFixed(1)],
  ["re-run: wall time (s)", rerun.seconds.toFixed(1)],
  ["  unchanged / sent again", `${rerun.report.summary.unchanged} / ${files.length - rerun.report.summary.unchanged}`],
  ["  queued or processing after the re-run", String(rerun.queuedAfter)],
  ["queue alone (limits lifted): time to all ready (s)", queue.seconds.toFixed(1)],
  ["  documents/s", (queue.status.counts.ready / queue.seconds).toFixed(1)],
  ["ratio CLI / queue (target <= 1.5)", (cli.seconds / queue.seconds).toFixed(2)],
];
const width = Math.max(...rows.map(([k]) => (k ?? "").length));
for (const [k, v] of rows) console.log(`${(k ?? "").padEnd(width)}  ${v}`);
