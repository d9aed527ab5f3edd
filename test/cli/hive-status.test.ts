import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { startFakeApi, type FakeApi } from "./helpers/fake-api";
import { runHive } from "./helpers/run-hive";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address && typeof address === "object");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

describe("hive status", () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());

  test("healthy: prints every check as ok and exits 0", async () => {
    api.mode = "healthy";
    const run = await runHive(["status", "--url", api.url]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Liquid Hive at http:\/\/127\.0\.0\.1:\d+: Healthy/);
    assert.match(run.stdout, /environment test, server time 2026-01-01T12:00:00\.000Z/);
    assert.match(run.stdout, /^CHECK\s+STATUS\s+LATENCY\s+ERROR$/m);
    assert.match(run.stdout, /^d1\s+ok\s+2 ms$/m);
    assert.match(run.stdout, /^kv\s+ok\s+1 ms$/m);
    assert.match(run.stdout, /^durable_objects\s+ok\s+4 ms$/m);
    assert.match(run.stdout, /^model\s+offline-extractive \(degraded\)$/m);
    assert.match(run.stdout, /^embedder\s+local-hash-384$/m);
    assert.match(run.stdout, /^breakers\s+model open \(5 failures\)$/m);
    assert.equal(run.stderr, "");
  });

  test("503 envelope: lists the failed check with its error and exits 1", async () => {
    api.mode = "degraded";
    const run = await runHive(["status", "--url", api.url]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /: Degraded/);
    assert.match(run.stdout, /^d1\s+ok\s+2 ms$/m);
    assert.match(run.stdout, /^durable_objects\s+failed\s+3000 ms\s+timed out after 3000 ms$/m);
  });

  test("--json prints the report as one document", async () => {
    api.mode = "degraded";
    const run = await runHive(["--json", "status", "--url", api.url]);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.equal(report.status, "degraded");
    assert.deepEqual(report.ready, {
      ready: false,
      failed: ["durable_objects"],
      providers: null,
      requestId: "req_fake123",
      checks: {
        d1: { ok: true, latency_ms: 2 },
        kv: { ok: true, latency_ms: 1 },
        durable_objects: { ok: false, latency_ms: 3000, error: "timed out after 3000 ms" },
      },
    });
    assert.deepEqual(report.errors, []);
  });

  test("a 503 without checks is an API error, reported with its request id, exit 1", async () => {
    api.mode = "misconfigured";
    const run = await runHive(["status", "--json", "--url", api.url]);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as { status: string; ready: unknown; errors: { call: string; code: string; request_id: string }[] };
    assert.equal(report.status, "degraded");
    assert.equal(report.ready, null);
    assert.deepEqual(
      report.errors.map((e) => [e.call, e.code, e.request_id]),
      [
        ["health", "UNAVAILABLE", "req_fake123"],
        ["ready", "UNAVAILABLE", "req_fake123"],
      ],
    );
  });

  test("unreachable: says so and exits 2", async () => {
    const port = await closedPort();
    const run = await runHive(["status", "--url", `http://127.0.0.1:${port}`]);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /: Unreachable/);
    assert.match(run.stderr, /Cannot reach http:\/\/127\.0\.0\.1:\d+\/health: connect ECONNREFUSED/);
  });

  test("HIVE_URL is the default --url", async () => {
    api.mode = "healthy";
    const run = await runHive(["status"], { HIVE_URL: api.url });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`at ${api.url.replace(/[.]/g, "\\.")}: Healthy`));
  });
});
