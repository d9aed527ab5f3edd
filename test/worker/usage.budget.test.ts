// A workspace's monthly budget: crossing its warning ratio raises one `budget.warning` a month,
// and once the month's spend reaches it every surface refuses new model calls (chat, /v1 in
// OpenAI's shape, MCP as a tool error, swarm runs at start and at their next step, approvals,
// evaluation runs at start and before their next case).

import { SELF } from "cloudflare:test";
import type { BudgetStatus, UsageReport } from "@hive/shared/api-types/usage";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AuditPage } from "../../worker/audit/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { seedDataset, startRun as startEvalRun, waitForRun as waitForEvalRun } from "./evals.helpers";
import { chat, createAgent } from "./helpers/chat";
import { adminToken, api, apiKey, BASE, createUser, type ErrorBody, expectStatus, token } from "./helpers/harness";
import { connectMcp } from "./helpers/mcp";
import { ScriptedModel, textScript } from "./helpers/scripted-model";
import { createSwarmAgents, SwarmModel, startRun, waitForRun } from "./swarm.helpers";

/** Each call of the scripted model reads 20,000 tokens at $100 per million: $2. */
const CALL_TOKENS = 20_000;
const spendTwoDollars = () =>
  setProviderOverrides({
    model: new ScriptedModel(textScript("two dollars", { inputTokens: CALL_TOKENS, outputTokens: 1 })),
  });

beforeAll(async () => {
  await expectStatus(200, "PUT", "/api/admin/model-prices/scripted/offline", {
    token: await adminToken(),
    body: { input_usd_per_mtok: 100, output_usd_per_mtok: 0 },
  });
});
afterEach(() => clearProviderOverrides());

async function account(monthly_usd: number, warn_ratio?: number) {
  const u = await createUser();
  const access = (await token(u.email, u.password)).access_token;
  await expectStatus(200, "PUT", `/api/workspaces/${u.personalWorkspaceId}/budget`, {
    token: access,
    body: { monthly_usd, ...(warn_ratio ? { warn_ratio } : {}) },
  });
  const agent = await createAgent(access, { name: "Spender" });
  return { u, access, agent };
}

describe("warning", () => {
  it("is raised once a month, when the spend crosses warn_ratio, and shown in the usage report", async () => {
    const { u, access, agent } = await account(10, 0.1);
    const budget = async () =>
      (await expectStatus<UsageReport>(200, "GET", "/api/usage", { token: access })).budget as BudgetStatus;
    expect(await budget()).toMatchObject({ monthly_usd: 10, spent_usd: 0, warned: false, exceeded: false });
    for (let i = 0; i < 3; i++) {
      spendTwoDollars();
      expect((await chat(access, agent.id, `spend ${i}`)).status).toBe(200);
    }
    const status = await budget();
    expect(status.spent_usd).toBeCloseTo(6, 6);
    expect(status).toMatchObject({ warned: true, exceeded: false });
    await budget();
    const audit = await expectStatus<AuditPage>(200, "GET", "/api/audit?action=budget.warning", { token: access });
    expect(audit.data).toHaveLength(1);
    expect(audit.data[0]).toMatchObject({
      workspace_id: u.personalWorkspaceId,
      actor_kind: "system",
      detail: expect.objectContaining({ monthly_usd: 10, warn_ratio: 0.1 }),
    });
  });
});

describe("hard stop", () => {
  let access: string;
  let agentId: string;
  let workspaceId: string;
  let userId: string;
  beforeAll(async () => {
    const a = await account(1);
    access = a.access;
    agentId = a.agent.id;
    workspaceId = a.u.personalWorkspaceId;
    userId = a.u.id;
    spendTwoDollars();
    expect((await chat(access, agentId, "spend it all")).status).toBe(200);
    clearProviderOverrides();
  });

  it("refuses chat with 429 BUDGET_EXCEEDED, and says so in the budget", async () => {
    const r = await chat(access, agentId, "one more");
    expect(r.status).toBe(429);
    const body = r.body as ErrorBody;
    expect(body.error.code).toBe("BUDGET_EXCEEDED");
    expect(body.error.message).toContain("monthly model budget");
    expect(body.error.details).toMatchObject({ monthly_usd: 1 });
    const report = await expectStatus<UsageReport>(200, "GET", "/api/usage", { token: access });
    expect(report.budget).toMatchObject({ exceeded: true, warned: true });
  });

  it("refuses /v1 in OpenAI's error shape", async () => {
    const key = (await apiKey(access, ["chat", "agents:read"])).key;
    const res = await SELF.fetch(`${BASE}/v1/chat/completions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ model: "offline", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(429);
    const body = (await res.json()) as { error: { type: string; code: string; message: string } };
    expect(body.error).toMatchObject({ type: "rate_limit_error", code: "insufficient_quota" });
  });

  it("answers MCP's chat_with_agent with a tool error", async () => {
    const client = await connectMcp(access, "budget-test");
    const result = await client.callTool({ name: "chat_with_agent", arguments: { agent_id: agentId, message: "hi" } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("BUDGET_EXCEEDED");
    await client.close();
  });

  it("refuses to start a swarm run or resume a turn after an approval", async () => {
    const run = await api<ErrorBody>("POST", "/api/swarm/runs", {
      token: access,
      body: { strategy: "pipeline", task: "t", agent_ids: [agentId] },
    });
    expect(run.status).toBe(429);
    expect(run.body.error.code).toBe("BUDGET_EXCEEDED");
    const approval = await api<ErrorBody>("POST", "/api/conversations/conv_missing/approvals/call_x", {
      token: access,
      body: { decision: "approve" },
    });
    expect(approval.status).toBe(429);
    expect(approval.body.error.code).toBe("BUDGET_EXCEEDED");
    // Nothing more was charged.
    const report = await expectStatus<UsageReport>(200, "GET", "/api/usage", { token: access });
    expect(report.totals.calls).toBe(1);
  });

  it("refuses to start an evaluation run", async () => {
    const dataset = await seedDataset(workspaceId, userId, [{ input: { message: "q" } }]);
    const run = await api<ErrorBody>("POST", "/api/evals/runs", {
      token: access,
      body: { dataset_id: dataset.id, target: { kind: "agent", agent_id: agentId } },
    });
    expect(run.status).toBe(429);
    expect(run.body.error.code).toBe("BUDGET_EXCEEDED");
    const runs = await expectStatus<{ data: unknown[] }>(200, "GET", "/api/evals/runs", { token: access });
    expect(runs.data).toEqual([]);
  });

  it("a higher limit lets calls through again", async () => {
    await expectStatus(200, "PUT", `/api/workspaces/${workspaceId}/budget`, {
      token: access,
      body: { monthly_usd: 100 },
    });
    setProviderOverrides({ model: new ScriptedModel(textScript("cheap")) });
    expect((await chat(access, agentId, "again")).status).toBe(200);
  });
});

describe("swarm steps", () => {
  it("stop at the first step after the budget is spent: the run fails there", async () => {
    const { access } = await account(1);
    const ids = await createSwarmAgents(access, ["first", "second"]);
    const model = new SwarmModel({
      first: { reply: "one", usage: { inputTokens: CALL_TOKENS, outputTokens: 0 } },
      second: { reply: "two", usage: { inputTokens: 10, outputTokens: 0 } },
    });
    setProviderOverrides({ model });
    const started = await startRun(access, {
      strategy: "pipeline",
      task: "t",
      agent_ids: [ids.first as string, ids.second as string],
      step: { timeout_ms: 2_000, max_attempts: 2, backoff_ms: 10 },
    });
    const run = await waitForRun(access, started.id);
    expect(run.status).toBe("failed");
    expect(model.callsOf("first")).toHaveLength(1);
    expect(model.callsOf("second")).toHaveLength(0);
    expect(JSON.stringify(run.steps)).toContain("monthly model budget");
  });
});

describe("evaluation runs", () => {
  it("stop before the first case after the budget is spent: budget_exceeded, the rest never run", async () => {
    const { u, access, agent } = await account(1);
    const dataset = await seedDataset(u.personalWorkspaceId, u.id, [
      { input: { message: "first" } },
      { input: { message: "second" } },
      { input: { message: "third" } },
    ]);
    const model = new ScriptedModel(textScript("two dollars", { inputTokens: CALL_TOKENS, outputTokens: 1 }));
    setProviderOverrides({ model });
    const started = await startEvalRun(access, {
      dataset_id: dataset.id,
      target: { kind: "agent", agent_id: agent.id },
      concurrency: 1,
    });
    const run = await waitForEvalRun(access, started.id);
    expect(run.status).toBe("budget_exceeded");
    expect(run.reason).toContain("monthly model budget");
    expect(run.cases_done).toBe(1);
    // One case ran and was charged; the two after it made no model call.
    const report = await expectStatus<UsageReport>(200, "GET", "/api/usage", { token: access });
    expect(report.totals.calls).toBe(1);
    expect(model.requests).toHaveLength(1);
  });
});
