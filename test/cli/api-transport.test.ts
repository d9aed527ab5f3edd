// The typed client waits out rate limits instead of failing: Retry-After on 429 and 503 within a
// budget, pacing to RateLimit-Remaining/Reset, retries of lost connections only when the request
// is safe to repeat. Driven through HiveClient with a fake fetch and a recorded clock.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type FetchLike,
  HiveApiError,
  HiveClient,
  type HiveClientOptions,
  HiveNetworkError,
  type HiveRequestInit,
} from "@hive/shared/api-client";

const KB = { id: "kb_1", name: "Handbook" };

const envelope = (code: string, message: string) =>
  JSON.stringify({ error: { code, message, details: {}, timestamp: "2026-01-01T12:00:00.000Z", request_id: "req_1" } });

const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "Content-Type": "application/json", ...headers } });

const limited = (retryAfter: string) =>
  answer(429, envelope("RATE_LIMITED", "Rate limit exceeded for this credential; retry in 2 s"), {
    "Retry-After": retryAfter,
  });

/** A fetch that answers from a script, one entry per call, and records what was sent. */
function scripted(...script: (Response | Error)[]) {
  const calls: { url: string; init: HiveRequestInit }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const next = script.shift();
    if (!next) throw new Error(`unexpected request ${init.method} ${url}`);
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, calls };
}

function clientWith(fetch: FetchLike, opts: Partial<HiveClientOptions> = {}) {
  const waits: { ms: number; reason: string; status: number | null }[] = [];
  const slept: number[] = [];
  const client = new HiveClient({
    baseUrl: "http://hive.test",
    token: "lh_test",
    fetch,
    random: () => 0.5,
    sleep: async (ms) => {
      slept.push(ms);
    },
    onWait: ({ ms, reason, status }) => waits.push({ ms, reason, status }),
    ...opts,
  });
  return { client, waits, slept };
}

describe("typed client: rate limits and retries", () => {
  test("429 with Retry-After, then success: waits what the server said (plus jitter) and returns the answer", async () => {
    const { fetch, calls } = scripted(limited("2"), answer(200, JSON.stringify(KB)));
    const { client, waits, slept } = clientWith(fetch);
    assert.deepEqual(await client.knowledge.get("kb_1"), KB);
    assert.equal(calls.length, 2);
    // 2 s plus up to a fifth of it (at most 1 s) of jitter; random() is 0.5 here.
    assert.deepEqual(waits, [{ ms: 2200, reason: "retry-after", status: 429 }]);
    assert.deepEqual(slept, [2200]);
  });

  test("503 with Retry-After as an HTTP date is retried, even for a POST without a key (the server did not act)", async () => {
    const at = new Date(Date.now() + 3000).toUTCString();
    const { fetch, calls } = scripted(
      answer(503, envelope("UNAVAILABLE", "Ingestion is paused"), { "Retry-After": at }),
      answer(201, JSON.stringify(KB)),
    );
    const { client, waits } = clientWith(fetch);
    assert.deepEqual(await client.knowledge.create({ name: "Handbook" }), KB);
    assert.equal(calls.length, 2);
    assert.equal(waits[0]?.reason, "retry-after");
    assert.equal(waits[0]?.status, 503);
    assert.ok((waits[0]?.ms ?? 0) >= 2000 && (waits[0]?.ms ?? 0) <= 4000, `waited ${waits[0]?.ms} ms`);
  });

  test("a 503 without Retry-After is not retried", async () => {
    const { fetch, calls } = scripted(answer(503, envelope("UNAVAILABLE", "Search is temporarily unavailable")));
    const { client } = clientWith(fetch);
    await assert.rejects(client.knowledge.get("kb_1"), { code: "UNAVAILABLE" });
    assert.equal(calls.length, 1);
  });

  test("budget of attempts exhausted: the last error, saying how long it tried", async () => {
    const { fetch, calls } = scripted(limited("1"), limited("1"), limited("1"));
    const { client, slept } = clientWith(fetch, { retry: { maxAttempts: 3 } });
    const err = await client.knowledge.get("kb_1").then(
      () => assert.fail("should have thrown"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof HiveApiError);
    assert.equal(err.status, 429);
    assert.equal(err.code, "RATE_LIMITED");
    assert.equal(err.retryAfterSeconds, 1);
    assert.equal(
      err.message,
      "Rate limit exceeded for this credential; retry in 2 s (still refused after 3 attempts and 2 s of waiting)",
    );
    assert.equal(calls.length, 3);
    assert.deepEqual(slept, [1100, 1100]);
  });

  test("budget of waiting exhausted: a Retry-After longer than the budget is returned at once, unchanged", async () => {
    const { fetch, calls } = scripted(limited("840"));
    const { client, slept } = clientWith(fetch);
    await assert.rejects(client.knowledge.get("kb_1"), {
      code: "RATE_LIMITED",
      message: "Rate limit exceeded for this credential; retry in 2 s",
      retryAfterSeconds: 840,
    });
    assert.equal(calls.length, 1);
    assert.deepEqual(slept, []);
  });

  test("a call can widen its own budget or turn retries off", async () => {
    const wide = scripted(limited("45"), answer(200, JSON.stringify(KB)));
    const a = clientWith(wide.fetch);
    assert.deepEqual(await a.client.knowledge.get("kb_1", { retry: { maxWaitMs: 120_000 } }), KB);
    assert.equal(wide.calls.length, 2);

    const off = scripted(limited("1"));
    const b = clientWith(off.fetch);
    await assert.rejects(b.client.knowledge.get("kb_1", { retry: false }), { code: "RATE_LIMITED" });
    assert.equal(off.calls.length, 1);
  });

  test("pacing: after RateLimit-Remaining 0, the next request to that endpoint waits RateLimit-Reset; others do not", async () => {
    const spent = { "RateLimit-Limit": "120", "RateLimit-Remaining": "0", "RateLimit-Reset": "3" };
    const { fetch, calls } = scripted(
      answer(200, JSON.stringify(KB), spent),
      answer(200, JSON.stringify({ data: [], next_cursor: null })),
      answer(200, JSON.stringify(KB), { "RateLimit-Remaining": "119", "RateLimit-Reset": "60" }),
      answer(200, JSON.stringify(KB)),
    );
    const { client, waits } = clientWith(fetch);
    await client.knowledge.get("kb_1");
    await client.knowledge.list();
    assert.equal(waits.length, 0, "another endpoint is not held back");
    await client.knowledge.get("kb_1");
    assert.equal(waits.length, 1);
    assert.equal(waits[0]?.reason, "pacing");
    assert.ok((waits[0]?.ms ?? 0) > 2500 && (waits[0]?.ms ?? 0) <= 3000, `paced ${waits[0]?.ms} ms`);
    await client.knowledge.get("kb_1");
    assert.equal(waits.length, 1, "Remaining above 0 again: no more pacing");
    assert.equal(calls.length, 4);
  });

  test("a lost connection is retried for reads and keyed writes only", async () => {
    const refused = () =>
      new TypeError("fetch failed", { cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }) });

    const read = scripted(refused(), answer(200, JSON.stringify(KB)));
    const a = clientWith(read.fetch);
    assert.deepEqual(await a.client.knowledge.get("kb_1"), KB);
    assert.deepEqual(
      a.waits.map((w) => w.reason),
      ["backoff"],
    );

    const write = scripted(refused(), answer(201, JSON.stringify(KB)));
    const b = clientWith(write.fetch);
    await assert.rejects(b.client.knowledge.create({ name: "Handbook" }), (e: unknown) => {
      assert.ok(e instanceof HiveNetworkError);
      assert.match(e.message, /^Cannot reach http:\/\/hive\.test\/api\/knowledge-bases: ECONNREFUSED/);
      return true;
    });
    assert.equal(write.calls.length, 1, "a write without a key may have been applied: not sent twice");

    const keyed = scripted(refused(), answer(201, JSON.stringify(KB)));
    const c = clientWith(keyed.fetch);
    assert.deepEqual(await c.client.knowledge.create({ name: "Handbook" }, { idempotencyKey: "idem-1" }), KB);
    assert.equal(keyed.calls.length, 2);
    assert.deepEqual(
      keyed.calls.map((call) => call.init.headers["Idempotency-Key"]),
      ["idem-1", "idem-1"],
    );
  });

  test("aborting while waiting stops the call: no further request", async () => {
    const { fetch, calls } = scripted(limited("5"), answer(200, JSON.stringify(KB)));
    const client = new HiveClient({ baseUrl: "http://hive.test", fetch });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user cancelled")), 50);
    const started = Date.now();
    await assert.rejects(client.knowledge.get("kb_1", { signal: controller.signal }), { message: "user cancelled" });
    assert.ok(Date.now() - started < 2000, "did not sit out the 5 s");
    assert.equal(calls.length, 1);
  });
});
