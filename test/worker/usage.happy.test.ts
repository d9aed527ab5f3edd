// Every model call writes one usage row charged to whom the surface names (workspace, user,
// agent and version, conversation or swarm run, surface), priced from the default table or a
// platform admin's override; GET /api/usage sums them by agent, model, day and user.

import { env, SELF } from "cloudflare:test";
import type { ModelPriceList, UsageReport } from "@hive/shared/api-types/usage";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat, createAgent } from "./helpers/chat";
import { adminToken, apiKey, BASE, createUser, expectStatus, token } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";
import { createSwarmAgents, getRun, SwarmModel, startRun, waitForRun } from "./swarm.helpers";

interface Row {
  workspace_id: string;
  user_id: string | null;
  agent_id: string | null;
  agent_version: number | null;
  conversation_id: string | null;
  run_id: string | null;
  surface: string;
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  outcome: string;
  latency_ms: number | null;
}

/** The workspace's usage rows, waiting until there are at least `count` (some are written in waitUntil). */
async function rowsOf(workspaceId: string, count: number): Promise<Row[]> {
  const stop = Date.now() + 5_000;
  for (;;) {
    const { results } = await env.DB.prepare("SELECT * FROM usage_events WHERE workspace_id = ? ORDER BY created_at")
      .bind(workspaceId)
      .all<Row>();
    if (results.length >= count || Date.now() > stop) return results;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const scripted = (inputTokens: number, outputTokens: number) =>
  setProviderOverrides({ model: new ScriptedModel(textScript("a priced answer", { inputTokens, outputTokens })) });

let admin: string;
/** $1 per million input tokens, $2 per million output tokens for the scripted test model. */
const PRICE = { input_usd_per_mtok: 1, output_usd_per_mtok: 2 };

beforeAll(async () => {
  admin = await adminToken();
  await expectStatus(200, "PUT", "/api/admin/model-prices/scripted/offline", { token: admin, body: PRICE });
});
afterEach(() => clearProviderOverrides());

describe("usage rows", () => {
  it("a chat writes one row per model call with its attribution and cost", async () => {
    const u = await createUser();
    const access = (await token(u.email, u.password)).access_token;
    const agent = await createAgent(access, { name: "Priced" });
    scripted(1_000, 500);
    const answer = await chat(access, agent.id, "hello");
    expect(answer.status).toBe(200);
    const [row, ...more] = await rowsOf(u.personalWorkspaceId, 1);
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({
      user_id: u.id,
      agent_id: agent.id,
      agent_version: agent.version,
      conversation_id: answer.conversationId,
      run_id: null,
      surface: "chat",
      provider: "scripted",
      model: "offline",
      input_tokens: 1_000,
      output_tokens: 500,
      outcome: "stop",
    });
    // 1000 × $1/M + 500 × $2/M
    expect(row?.cost_usd).toBeCloseTo(0.002, 10);
    expect(row?.latency_ms).toBeGreaterThanOrEqual(0);
    // The agent and the conversation report it among their totals.
    const totals = { calls: 1, tokens: 1_500, cost_usd: expect.closeTo(0.002, 10) };
    const detail = await expectStatus<{ usage: unknown }>(200, "GET", `/api/agents/${agent.id}`, { token: access });
    expect(detail.usage).toEqual(totals);
    const conversation = await expectStatus<{ usage: unknown }>(
      200,
      "GET",
      `/api/conversations/${answer.conversationId}`,
      {
        token: access,
      },
    );
    expect(conversation.usage).toEqual(totals);
  });

  it("a /v1 completion is charged to the key's workspace and user, raw model or agent", async () => {
    const u = await createUser();
    const access = (await token(u.email, u.password)).access_token;
    const key = (await apiKey(access, ["chat", "agents:read"])).key;
    const agent = await createAgent(access, { name: "Completer" });
    for (const model of ["offline", agent.id]) {
      scripted(100, 50);
      const res = await SELF.fetch(`${BASE}/v1/chat/completions`, {
        method: "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
      });
      expect(res.status).toBe(200);
      await res.text();
    }
    const rows = await rowsOf(u.personalWorkspaceId, 2);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => [r.surface, r.user_id, r.agent_id, r.conversation_id])).toEqual([
      ["v1", u.id, null, null],
      ["v1", u.id, agent.id, null],
    ]);
    for (const r of rows) expect(r.cost_usd).toBeCloseTo((100 * 1 + 50 * 2) / 1e6, 10);
  });

  it("a swarm run's steps are charged to the run and each step's agent", async () => {
    const u = await createUser();
    const access = (await token(u.email, u.password)).access_token;
    const ids = await createSwarmAgents(access, ["first", "second"]);
    setProviderOverrides({
      model: new SwarmModel({
        first: { reply: "one", usage: { inputTokens: 10, outputTokens: 5 } },
        second: { reply: "two", usage: { inputTokens: 20, outputTokens: 10 } },
      }),
    });
    const started = await startRun(access, {
      strategy: "pipeline",
      task: "t",
      agent_ids: [ids.first as string, ids.second as string],
    });
    const run = await waitForRun(access, started.id);
    expect(run.status).toBe("succeeded");
    const rows = await rowsOf(u.personalWorkspaceId, 2);
    expect(rows.map((r) => [r.surface, r.run_id, r.agent_id, r.input_tokens, r.output_tokens])).toEqual([
      ["swarm", run.id, ids.first, 10, 5],
      ["swarm", run.id, ids.second, 20, 10],
    ]);
    expect(rows.every((r) => r.user_id === u.id)).toBe(true);
    const detail = await getRun(access, run.id);
    expect(detail.usage).toMatchObject({ calls: 2, tokens: 45 });
  });
});

describe("GET /api/usage", () => {
  let access: string;
  let userId: string;
  let agents: { id: string; name: string }[];
  beforeAll(async () => {
    const u = await createUser();
    userId = u.id;
    access = (await token(u.email, u.password)).access_token;
    agents = [await createAgent(access, { name: "Alpha" }), await createAgent(access, { name: "Beta" })];
    for (const [agent, calls] of [
      [agents[0], 2],
      [agents[1], 1],
    ] as const) {
      for (let i = 0; i < calls; i++) {
        scripted(1_000, 1_000);
        expect((await chat(access, agent?.id ?? "", `message ${i}`)).status).toBe(200);
      }
    }
    await rowsOf(u.personalWorkspaceId, 3);
  });

  const report = (query: string) => expectStatus<UsageReport>(200, "GET", `/api/usage?${query}`, { token: access });

  it("groups by agent with names, most expensive first, and totals", async () => {
    const r = await report("group_by=agent");
    expect(r.totals).toMatchObject({ calls: 3, input_tokens: 3_000, output_tokens: 3_000 });
    expect(r.totals.cost_usd).toBeCloseTo(0.009, 10);
    expect(r.groups.map((g) => [g.key, g.label, g.calls])).toEqual([
      [agents[0]?.id, "Alpha", 2],
      [agents[1]?.id, "Beta", 1],
    ]);
    expect(r.budget).toBeNull();
  });

  it("groups by model (with whether it is priced), day and user", async () => {
    const byModel = await report("group_by=model");
    expect(byModel.groups).toEqual([expect.objectContaining({ key: "scripted:offline", calls: 3, priced: true })]);
    const byDay = await report("group_by=day");
    expect(byDay.groups).toEqual([expect.objectContaining({ key: new Date().toISOString().slice(0, 10), calls: 3 })]);
    const byUser = await report("group_by=user");
    expect(byUser.groups).toEqual([expect.objectContaining({ key: userId, calls: 3 })]);
  });

  it("keeps to the window asked for", async () => {
    const r = await report("group_by=agent&from=2020-01-01&to=2020-02-01");
    expect(r.totals.calls).toBe(0);
    expect(r.groups).toEqual([]);
  });
});

describe("prices", () => {
  it("an unknown model costs nothing and is reported unpriced; an override prices it; removing it restores that", async () => {
    const u = await createUser();
    const access = (await token(u.email, u.password)).access_token;
    const agent = await createAgent(access, { name: "Unpriced", model: { provider: "offline", id: "mystery-model" } });
    const call = async () => {
      scripted(50_000, 0);
      expect((await chat(access, agent.id, "price me")).status).toBe(200);
    };
    await call();
    let r = await expectStatus<UsageReport>(200, "GET", "/api/usage?group_by=model", { token: access });
    expect(r.groups).toEqual([expect.objectContaining({ key: "scripted:mystery-model", cost_usd: 0, priced: false })]);

    const table = await expectStatus<ModelPriceList>(200, "PUT", "/api/admin/model-prices/scripted/mystery-model", {
      token: admin,
      body: { input_usd_per_mtok: 60, output_usd_per_mtok: 4 },
    });
    expect(table.data).toContainEqual(
      expect.objectContaining({
        provider: "scripted",
        model: "mystery-model",
        input_usd_per_mtok: 60,
        source: "override",
      }),
    );
    await call();
    r = await expectStatus<UsageReport>(200, "GET", "/api/usage?group_by=model", { token: access });
    expect(r.groups[0]).toMatchObject({ calls: 2, priced: true });
    expect(r.groups[0]?.cost_usd).toBeCloseTo(3, 4);

    await expectStatus(200, "DELETE", "/api/admin/model-prices/scripted/mystery-model", { token: admin });
    await call();
    r = await expectStatus<UsageReport>(200, "GET", "/api/usage?group_by=model", { token: access });
    expect(r.groups[0]).toMatchObject({ calls: 3, priced: false });
    expect(r.groups[0]?.cost_usd).toBeCloseTo(3, 4);
  });

  it("the default table prices Workers AI in neurons and the offline model at zero", async () => {
    const table = await expectStatus<ModelPriceList>(200, "GET", "/api/admin/model-prices", { token: admin });
    const llama = table.data.find((p) => p.model === "@cf/meta/llama-3.1-8b-instruct");
    expect(llama).toMatchObject({ provider: "workers-ai", source: "default", input_neurons_per_mtok: 25_608 });
    expect(llama?.input_usd_per_mtok).toBeCloseTo(25_608 * 0.000011, 10);
    expect(table.data).toContainEqual(
      expect.objectContaining({ provider: "offline", model: "*", output_usd_per_mtok: 0 }),
    );
  });
});
