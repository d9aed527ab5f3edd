import { env } from "cloudflare:test";
import parsePrometheus from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { handleDeadLetters } from "../../worker/knowledge/dead-letters";
import { handleQueue } from "../../worker/queue/consumer";
import { chat, createAgent } from "./helpers/chat";
import { adminToken, api, apiKey, createUser, expectStatus, token } from "./helpers/harness";
import { createKb, signedInUser, uploadText } from "./knowledge.helpers";
import { waitForRun } from "./swarm.helpers";

/** A one-message batch as the runtime hands it to a consumer. */
function batch(queue: string, body: unknown): MessageBatch<unknown> {
  const message = { id: "m1", timestamp: new Date(), attempts: 1, body, ack: () => {}, retry: () => {} };
  return { queue, messages: [message], ackAll: () => {}, retryAll: () => {} } as unknown as MessageBatch<unknown>;
}

/** The label names of every sample line of `metric`. */
function sampleLabels(text: string, metric: string): string[][] {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${metric}{`))
    .map((l) => [...(l.slice(metric.length).match(/(\w+)="/g) ?? [])].map((k) => k.slice(0, -2)));
}

async function scrape() {
  const res = await api<string>("GET", "/metrics", { token: await adminToken() });
  expect(res.status).toBe(200);
  const families = parsePrometheus(res.body);
  return { text: res.body, family: (name: string) => families.find((f) => f.name === name) };
}

describe("/metrics after real traffic", () => {
  it("reports every family with HELP, TYPE and its label set, parsed by a Prometheus text parser", async () => {
    // Chat through the offline model (model calls, tokens, time to first token), with an email the
    // default policy flags (a safety event).
    const me = await signedInUser();
    const agent = await createAgent(me.token, { name: "Metered" });
    const answered = await chat(me.token, agent.id, "Hello, reach me at someone@example.com");
    expect(answered.status).toBe(200);

    // The response cache: a miss, then a hit.
    await expectStatus(200, "GET", "/api/agents", { token: me.token });
    await expectStatus(200, "GET", "/api/agents", { token: me.token });

    // A rate-limit refusal: this workspace may read twice a minute.
    const limited = await createUser();
    const access = (await token(limited.email, limited.password)).access_token;
    await env.CACHE.put(`rl:policy:${limited.personalWorkspaceId}`, "read=2/60");
    const key = await apiKey(access, ["admin"]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await api("GET", "/api/keys", { token: key.key })).status);
    expect(statuses).toContain(429);

    // Ingestion: one document waits in the queue; one message is handled, one dead-lettered.
    const kb = await createKb(me, { name: "Metered docs" });
    const doc = await uploadText(me, kb.id, "a.txt", "Queued for ingestion.");
    const message = { type: "ingest_document", v: 1, workspaceId: me.workspaceId, documentId: doc.id, requestId: "r" };
    await handleQueue(batch("liquid-hive-ingest", { not: "a message" }), env);
    await handleDeadLetters(batch("liquid-hive-ingest-dlq", message), env);
    await uploadText(me, kb.id, "b.txt", "Still queued.");

    // A swarm run through the offline model.
    const run = await expectStatus<{ id: string }>(201, "POST", "/api/swarm/runs", {
      token: me.token,
      body: { strategy: "pipeline", task: "t", agent_ids: [agent.id] },
    });
    expect((await waitForRun(me.token, run.id)).status).toBe("succeeded");

    const { text, family } = await scrape();
    const expected: Record<string, [string, string[]]> = {
      http_requests_total: ["COUNTER", ["method", "route", "status"]],
      http_request_duration_ms: ["HISTOGRAM", ["method", "route"]],
      cache_lookups_total: ["COUNTER", ["result"]],
      model_calls_total: ["COUNTER", ["provider", "model", "outcome"]],
      model_tokens_total: ["COUNTER", ["provider", "model", "direction"]],
      model_cost_usd_total: ["COUNTER", ["provider", "model"]],
      model_ttft_ms: ["HISTOGRAM", ["provider", "model"]],
      model_fallbacks_total: ["COUNTER", ["reason"]],
      rate_limit_rejections_total: ["COUNTER", ["class"]],
      queue_messages_total: ["COUNTER", ["queue", "type", "outcome"]],
      queue_dead_letters_total: ["COUNTER", ["queue"]],
      ingestion_queue_depth: ["GAUGE", ["status"]],
      swarm_runs_total: ["COUNTER", ["strategy", "status"]],
      safety_events_total: ["COUNTER", ["detector", "stage", "action"]],
      circuit_breaker_state: ["GAUGE", ["provider"]],
    };
    for (const [name, [type, labels]] of Object.entries(expected)) {
      const f = family(name);
      expect(f, name).toBeDefined();
      expect(f?.type, name).toBe(type);
      expect(f?.help, name).not.toBe("");
      expect(f?.metrics.length, name).toBeGreaterThan(0);
      // The parser folds a labelled histogram into one bucket map and drops its labels: those
      // label sets are read from the histogram's _count lines instead.
      const labelSets =
        type === "HISTOGRAM"
          ? sampleLabels(text, `${name}_count`)
          : (f?.metrics ?? []).map((m) => Object.keys(m.labels ?? {}));
      expect(labelSets.length, name).toBeGreaterThan(0);
      for (const keys of labelSets) expect(keys.sort(), name).toEqual([...labels].sort());
      if (type === "HISTOGRAM") expect(Number(f?.metrics[0]?.buckets?.["+Inf"]), name).toBeGreaterThan(0);
    }
    // Every family the scrape names is described.
    const named = new Set(
      text
        .split("\n")
        .filter((l) => l && !l.startsWith("#"))
        .map((l) => l.split(/[{ ]/)[0] ?? ""),
    );
    for (const n of named) expect(text, n).toMatch(new RegExp(`# TYPE ${n.replace(/_(bucket|sum|count)$/, "")} `));

    const value = (name: string, labels: Record<string, string>) =>
      Number(family(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value);
    expect(value("model_calls_total", { provider: "offline", outcome: "stop" })).toBeGreaterThanOrEqual(2);
    expect(value("model_tokens_total", { provider: "offline", direction: "output" })).toBeGreaterThan(0);
    expect(value("model_fallbacks_total", { reason: "no_model" })).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^model_ttft_ms_count\{provider="offline",model="[^"]+"\} [1-9]\d*$/m);
    expect(value("cache_lookups_total", { result: "hit" })).toBeGreaterThanOrEqual(1);
    expect(value("cache_lookups_total", { result: "miss" })).toBeGreaterThanOrEqual(1);
    expect(value("rate_limit_rejections_total", { class: "read" })).toBeGreaterThanOrEqual(1);
    expect(value("queue_messages_total", { outcome: "rejected" })).toBeGreaterThanOrEqual(1);
    expect(value("queue_dead_letters_total", { queue: "liquid-hive-ingest-dlq" })).toBeGreaterThanOrEqual(1);
    expect(value("ingestion_queue_depth", { status: "queued" })).toBeGreaterThanOrEqual(1);
    expect(value("swarm_runs_total", { strategy: "pipeline", status: "succeeded" })).toBeGreaterThanOrEqual(1);
    expect(value("safety_events_total", { detector: "pii", stage: "input" })).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
