// The MCP endpoint is no side door: no token means 401 before the handler, and each tool
// applies the same rule as the HTTP route it mirrors (scopes, roles, tenant isolation); tool
// calls that run a model are rate-limited and budgeted like chat messages.
import { env, SELF } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { createAgent } from "./helpers/chat";
import {
  api,
  apiKey,
  BASE,
  createTeam,
  createUser,
  type ErrorBody,
  expectStatus,
  type Team,
  token,
} from "./helpers/harness";
import { connectMcp, mcpTransport } from "./helpers/mcp";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let team: Team;
let agentId: string;
let strangerAgentId: string;

beforeAll(async () => {
  team = await createTeam();
  agentId = (await createAgent(team.admin.token, { name: "Team agent" })).id;
  const s = await createUser();
  strangerAgentId = (await createAgent((await token(s.email, s.password)).access_token, { name: "Elsewhere" })).id;
});

afterEach(() => clearProviderOverrides());

describe("MCP authentication", () => {
  it("fails to connect without a token (401)", async () => {
    const client = new Client({ name: "anonymous", version: "1.0.0" });
    const err = await client.connect(mcpTransport()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamableHTTPError);
    expect((err as StreamableHTTPError).code).toBe(401);
  });

  it("fails to connect with a bad or revoked-looking token", async () => {
    const client = new Client({ name: "forged", version: "1.0.0" });
    const err = await client
      .connect(mcpTransport({ Authorization: "Bearer lh_forged_key_value" }))
      .catch((e: unknown) => e);
    expect((err as StreamableHTTPError).code).toBe(401);
  });

  it("does not offer the GET stream (405) and refuses non-JSON-RPC bodies (400)", async () => {
    const key = (await apiKey(team.admin.token, ["agents:read"])).key;
    const get = await SELF.fetch(`${BASE}/mcp`, {
      headers: { Authorization: `Bearer ${key}`, Accept: "text/event-stream" },
    });
    expect(get.status).toBe(405);
    const bad = await SELF.fetch(`${BASE}/mcp`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ hello: "world" }),
    });
    expect(bad.status).toBe(400);
  });
});

describe("MCP tools apply the API's rules", () => {
  it("lets a key with only agents:read list agents but not chat", async () => {
    const client = await connectMcp((await apiKey(team.admin.token, ["agents:read"])).key);
    const list = await client.callTool({ name: "list_agents", arguments: {} });
    expect(list.isError).toBeFalsy();
    const chatAttempt = await client.callTool({
      name: "chat_with_agent",
      arguments: { agent_id: agentId, message: "hi" },
    });
    expect(chatAttempt.isError).toBe(true);
    expect((chatAttempt.content as { text: string }[])[0]?.text).toMatch(/^FORBIDDEN: .*chat scope/);
    await client.close();
  });

  it("keeps read-only members from chatting", async () => {
    const client = await connectMcp(team.readOnly.token);
    const attempt = await client.callTool({ name: "chat_with_agent", arguments: { agent_id: agentId, message: "hi" } });
    expect(attempt.isError).toBe(true);
    expect((attempt.content as { text: string }[])[0]?.text).toMatch(/^FORBIDDEN/);
    await client.close();
  });

  it("cannot reach another tenant's agent or another member's conversation", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("hello")) });
    const admin = await connectMcp(team.admin.token);
    const foreign = await admin.callTool({
      name: "chat_with_agent",
      arguments: { agent_id: strangerAgentId, message: "hi" },
    });
    expect(foreign.isError).toBe(true);
    expect((foreign.content as { text: string }[])[0]?.text).toBe("NOT_FOUND: Agent not found");
    const mine = await admin.callTool({ name: "chat_with_agent", arguments: { agent_id: agentId, message: "mine" } });
    const conversationId = (mine.structuredContent as { conversation_id: string }).conversation_id;
    const user = await connectMcp(team.user.token);
    const hijack = await user.callTool({
      name: "chat_with_agent",
      arguments: { agent_id: agentId, message: "let me in", conversation_id: conversationId },
    });
    expect((hijack.content as { text: string }[])[0]?.text).toBe("NOT_FOUND: Conversation not found");
    const listed = await user.callTool({ name: "list_agents", arguments: {} });
    expect((listed.structuredContent as { agents: { id: string }[] }).agents.map((a) => a.id)).not.toContain(
      strangerAgentId,
    );
    await admin.close();
    await user.close();
  });

  it("validates tool arguments", async () => {
    const client = await connectMcp(team.admin.token);
    const empty = await client.callTool({ name: "chat_with_agent", arguments: { agent_id: agentId, message: "" } });
    expect(empty.isError).toBe(true);
    const huge = await client.callTool({
      name: "chat_with_agent",
      arguments: { agent_id: agentId, message: "x".repeat(32_001) },
    });
    expect(huge.isError).toBe(true);
    await client.close();
  });
});

describe("MCP model calls are charged like chat messages", () => {
  /** A fresh account whose workspace has its own rate-limit policy (set before its first limited request). */
  async function budgeted(policy: string) {
    const u = await createUser();
    const access = (await token(u.email, u.password)).access_token;
    await env.CACHE.put(`rl:policy:${u.personalWorkspaceId}`, policy);
    const agent = await createAgent(access, { name: "Budgeted" });
    return { access, agentId: agent.id };
  }
  const chatCall = (agent: string, i: number) => ({
    jsonrpc: "2.0",
    id: i,
    method: "tools/call",
    params: { name: "chat_with_agent", arguments: { agent_id: agent, message: `question ${i}` } },
  });
  const rpc = (bearer: string, body: unknown) =>
    SELF.fetch(`${BASE}/mcp`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${bearer}`,
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
      body: JSON.stringify(body),
    });
  const conversations = async (access: string) =>
    (await expectStatus<{ data: unknown[] }>(200, "GET", "/api/conversations?limit=100", { token: access })).data
      .length;

  it("counts every tools/call in a batch against the chat class, admits a batch whole or not at all, and reports the chat limit", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("an answer")) });
    const { access, agentId } = await budgeted("chat=6/60");
    const batch = await rpc(
      access,
      [1, 2, 3, 4, 5].map((i) => chatCall(agentId, i)),
    );
    expect(batch.status).toBe(200);
    await batch.text();
    expect(batch.headers.get("RateLimit-Limit")).toBe("6");
    expect(batch.headers.get("RateLimit-Remaining")).toBe("1");
    expect(await conversations(access)).toBe(5);

    const over = await rpc(
      access,
      [6, 7].map((i) => chatCall(agentId, i)),
    );
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await over.json<ErrorBody>()).error.code).toBe("RATE_LIMITED");
    expect(await conversations(access), "nothing in a refused batch ran").toBe(5);

    const last = await rpc(access, chatCall(agentId, 8));
    expect(last.status).toBe(200);
    await last.text();
    expect(last.headers.get("RateLimit-Remaining")).toBe("0");
    // The same class as the chat route: it is spent there too.
    expect(
      (await api("POST", `/api/agents/${agentId}/chat`, { token: access, body: { message: "one more" } })).status,
    ).toBe(429);
  });

  it("leaves calls that run no model on the ordinary request class", async () => {
    const { access } = await budgeted("chat=1/60");
    for (let i = 0; i < 3; i++) {
      const res = await rpc(access, {
        jsonrpc: "2.0",
        id: i,
        method: "tools/call",
        params: { name: "list_agents", arguments: {} },
      });
      expect(res.status).toBe(200);
      await res.text();
      expect(res.headers.get("RateLimit-Limit")).not.toBe("1");
    }
  });

  it("refuses model calls once the workspace's token budget is spent, and MCP answers spend it like chat does", async () => {
    setProviderOverrides({
      model: new ScriptedModel(
        textScript("a reply long enough to spend the budget", { inputTokens: 10, outputTokens: 0 }),
      ),
    });
    const { access, agentId } = await budgeted("chat_tokens=5/60");
    const first = await rpc(access, chatCall(agentId, 1));
    expect(first.status).toBe(200);
    await first.text();
    const refused = await rpc(access, chatCall(agentId, 2));
    expect(refused.status).toBe(429);
    expect((await refused.json<ErrorBody>()).error.message).toContain("model tokens");
    const chat = await api("POST", `/api/agents/${agentId}/chat`, { token: access, body: { message: "and here?" } });
    expect(chat.status).toBe(429);
    expect(await conversations(access)).toBe(1);
  });

  it("caps a JSON-RPC batch at 10 messages", async () => {
    const { access, agentId } = await budgeted("chat=100/60");
    const res = await rpc(
      access,
      Array.from({ length: 11 }, (_, i) => chatCall(agentId, i)),
    );
    expect(res.status).toBe(400);
    expect((await res.json<ErrorBody>()).error.code).toBe("VALIDATION_ERROR");
    expect(await conversations(access)).toBe(0);
  });
});
