import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { writeLogin } from "../../cli/src/auth/credentials-file";
import { PLATFORM_ADMIN_TOKEN, startFakeApi } from "./helpers/fake-api";
import { fakeApiSuite } from "./helpers/fake-api-suite";
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
  const fake = fakeApiSuite("status", startFakeApi);
  // No saved login and no API key unless a test makes one.
  const signedOut = () => ({ XDG_CONFIG_HOME: fake.dir, HIVE_API_KEY: "" });
  const signedInAs = async (accessToken: string) => {
    const dir = await mkdtemp(join(tmpdir(), "hive-status-"));
    const env = { XDG_CONFIG_HOME: dir, HIVE_API_KEY: "" };
    const expires = new Date(Date.now() + 60_000).toISOString();
    writeLogin(env, {
      url: fake.api.url,
      email: "admin@example.test",
      workspace_id: "ws_1",
      access_token: accessToken,
      access_expires_at: expires,
      refresh_token: "spent",
      refresh_expires_at: expires,
    });
    return env;
  };

  test("healthy, signed out: prints every check as ok, no provider detail, and exits 0", async () => {
    fake.api.mode = "healthy";
    const run = await runHive(["status", "--url", fake.api.url], signedOut());
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Liquid Hive at http:\/\/127\.0\.0\.1:\d+: Healthy/);
    assert.match(run.stdout, /^d1\s+ok\s+2 ms$/m);
    assert.doesNotMatch(run.stdout, /^PROVIDER|^breakers\s/m);
    assert.match(run.stdout, /Providers and circuit breakers are shown to platform admins: run 'hive login' as one\./);
    assert.equal(run.stderr, "");
  });

  test("a login that no longer works still gets the signed-out report", async () => {
    fake.api.mode = "healthy";
    const run = await runHive(["status"], await signedInAs("jwt-expired"));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /: Healthy/);
    assert.match(run.stdout, /^kv\s+ok\s+1 ms$/m);
    assert.match(run.stdout, /shown to platform admins/);
  });

  test("healthy, signed in as a platform admin: also prints providers, safety detectors, circuit breakers", async () => {
    fake.api.mode = "healthy";
    const run = await runHive(["status", "--url", fake.api.url], await signedInAs(PLATFORM_ADMIN_TOKEN));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Liquid Hive at http:\/\/127\.0\.0\.1:\d+: Healthy/);
    assert.match(run.stdout, /environment test, server time 2026-01-01T12:00:00\.000Z/);
    assert.match(run.stdout, /^CHECK\s+STATUS\s+LATENCY\s+ERROR$/m);
    assert.match(run.stdout, /^d1\s+ok\s+2 ms$/m);
    assert.match(run.stdout, /^kv\s+ok\s+1 ms$/m);
    assert.match(run.stdout, /^durable_objects\s+ok\s+4 ms$/m);
    assert.match(run.stdout, /^model\s+offline-extractive \(degraded\)$/m);
    assert.match(run.stdout, /^embedder\s+local-hash-384$/m);
    const detectors =
      "injection \\(local\\), pii \\(local\\), secrets \\(local\\), moderation \\(local-lexicon\\), canary \\(local\\)";
    assert.match(run.stdout, new RegExp(`^safety\\s+${detectors}$`, "m"));
    assert.match(run.stdout, /^breakers\s+model open \(5 failures\)$/m);
    assert.equal(run.stderr, "");
  });

  test("503 envelope: lists the failed check with its error and exits 1", async () => {
    fake.api.mode = "degraded";
    const run = await runHive(["status", "--url", fake.api.url], signedOut());
    assert.equal(run.code, 1);
    assert.match(run.stdout, /: Degraded/);
    assert.match(run.stdout, /^d1\s+ok\s+2 ms$/m);
    assert.match(run.stdout, /^durable_objects\s+failed\s+3000 ms\s+timed out after 3000 ms$/m);
  });

  test("--json prints the report as one document", async () => {
    fake.api.mode = "degraded";
    const run = await runHive(["--json", "status", "--url", fake.api.url], signedOut());
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
    fake.api.mode = "misconfigured";
    const run = await runHive(["status", "--json", "--url", fake.api.url], signedOut());
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as {
      status: string;
      ready: unknown;
      errors: { call: string; code: string; request_id: string }[];
    };
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
    const run = await runHive(["status", "--url", `http://127.0.0.1:${port}`], signedOut());
    assert.equal(run.code, 2);
    assert.match(run.stdout, /: Unreachable/);
    assert.match(run.stderr, /Cannot reach http:\/\/127\.0\.0\.1:\d+\/health: connect ECONNREFUSED/);
  });

  test("HIVE_URL is the default --url", async () => {
    fake.api.mode = "healthy";
    const run = await runHive(["status"], { ...signedOut(), HIVE_URL: fake.api.url });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`at ${fake.api.url.replace(/[.]/g, "\\.")}: Healthy`));
  });
});
