import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RETENTION_MS } from "../../worker/metrics/monitor-buckets";
import { chat, createAgent } from "./helpers/chat";
import { faultyD1, fetchWith } from "./helpers/faulty-env";
import { expectStatus } from "./helpers/harness";
import { signedInUser } from "./knowledge.helpers";
import { monitoring, usageRow } from "./monitoring.helpers";

describe("GET /api/monitoring", () => {
  it("shows the last hour's requests, 5xx errors and latency percentiles per minute and per agent", async () => {
    const me = await signedInUser();
    const agent = await createAgent(me.token, { name: "Watched" });
    for (const message of ["Hello", "And again"]) expect((await chat(me.token, agent.id, message)).status).toBe(200);
    await expectStatus(200, "GET", `/api/agents/${agent.id}`, { token: me.token });
    const failed = await fetchWith({ DB: faultyD1(/insert into "agents"/i) }, "POST", "/api/agents", {
      token: me.token,
      body: { name: "Lost in an outage" },
    });
    expect(failed.status).toBeGreaterThanOrEqual(500);

    const m = await monitoring(me.token);
    expect(m.window).toBe("1h");
    expect(m.bucket_ms).toBe(60_000);
    expect(m.series).toHaveLength(60);
    expect(Date.parse(m.to) - Date.parse(m.from)).toBe(3600_000);
    // Every request of this workspace so far (creating the agent, two chats, reads, the failure).
    expect(m.totals.requests).toBeGreaterThanOrEqual(5);
    expect(m.totals.errors).toBe(1);
    expect(m.totals.error_rate).toBeCloseTo(1 / m.totals.requests);
    expect(m.totals.p50_ms).toBeGreaterThan(0);
    expect(m.totals.p95_ms).toBeGreaterThanOrEqual(m.totals.p50_ms ?? 0);
    expect(m.series.reduce((n, p) => n + p.requests, 0)).toBe(m.totals.requests);
    const busy = m.series.filter((p) => p.requests > 0);
    expect(busy.length).toBeGreaterThan(0);
    for (const p of busy) expect(p.p50_ms).not.toBeNull();

    const row = m.agents.find((a) => a.agent_id === agent.id);
    expect(row).toMatchObject({ name: "Watched", errors: 0, error_rate: 0 });
    // Two chats and one read name the agent.
    expect(row?.requests).toBe(3);

    // One agent's view.
    const only = await monitoring(me.token, `window=1h&agent_id=${agent.id}`);
    expect(only.agent_id).toBe(agent.id);
    expect(only.totals.requests).toBe(3);
    expect(only.agents.map((a) => a.agent_id)).toEqual([agent.id]);
  });

  it("sums tokens and cost from the usage rows per bucket, agent and model, over a day and a week", async () => {
    const me = await signedInUser();
    const agent = await createAgent(me.token, { name: "Spender" });
    const ws = me.workspaceId;
    const twoDaysAgo = Date.now() - 2 * 24 * 3600_000;
    await usageRow({ workspaceId: ws, agentId: agent.id, inputTokens: 100, outputTokens: 40, costUsd: 0.25 });
    await usageRow({
      workspaceId: ws,
      agentId: agent.id,
      provider: "workers-ai",
      model: "llama",
      inputTokens: 10,
      outputTokens: 5,
      costUsd: 0.01,
      latencyMs: 300,
      outcome: "error",
    });
    await usageRow({ workspaceId: ws, agentId: agent.id, inputTokens: 7, outputTokens: 3, costUsd: 1, at: twoDaysAgo });

    const day = await monitoring(me.token, "window=24h");
    expect(day.bucket_ms).toBe(15 * 60_000);
    expect(day.series).toHaveLength(96);
    expect(day.totals).toMatchObject({ model_calls: 2, input_tokens: 110, output_tokens: 45, cost_usd: 0.26 });
    expect(day.series.at(-1)).toMatchObject({ model_calls: 2, input_tokens: 110, cost_usd: 0.26 });
    expect(day.agents.find((a) => a.agent_id === agent.id)).toMatchObject({ model_calls: 2, cost_usd: 0.26 });
    expect(day.models).toEqual([
      expect.objectContaining({ provider: "openai", model: "gpt-test", calls: 1, errors: 0, avg_latency_ms: 100 }),
      expect.objectContaining({ provider: "workers-ai", model: "llama", calls: 1, errors: 1, avg_latency_ms: 300 }),
    ]);

    const week = await monitoring(me.token, "window=7d");
    expect(week.bucket_ms).toBe(2 * 3600_000);
    expect(week.series).toHaveLength(84);
    expect(week.totals).toMatchObject({ model_calls: 3, input_tokens: 117, cost_usd: 1.26 });
    expect(week.series.filter((p) => p.model_calls > 0)).toHaveLength(2);
  });

  it("keeps eight days of minutes in the workspace's counters object, dropping older ones as it writes", async () => {
    const stub = env.COUNTERS.getByName("monitor:ws_retention_test");
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const nineDaysAgo = minute - 9 * 24 * 3600_000;
    await stub.addSeries([{ minute: nineDaysAgo, agent: "", name: "requests", by: 4 }], RETENTION_MS);
    await stub.addSeries([{ minute, agent: "agt_x", name: "requests", by: 1 }], RETENTION_MS);
    await stub.addSeries([{ minute, agent: "agt_x", name: "requests", by: 2 }], RETENTION_MS);
    expect(await stub.readSeries(0)).toEqual([{ minute, agent: "agt_x", name: "requests", value: 3 }]);
    expect(await stub.readSeries(0, "agt_other")).toEqual([]);
  });

  it("is documented in the OpenAPI document with its query and response schema", async () => {
    const doc = await expectStatus<{
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
      components: { schemas: Record<string, unknown> };
    }>(200, "GET", "/api/openapi.json");
    const params = doc.paths["/api/monitoring"]?.get?.parameters?.map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(["window", "agent_id"]));
    expect(doc.components.schemas.MonitoringResponse).toBeDefined();
  });
});
