// The MCP endpoint is no side door: no token means 401 before the handler, and each tool
// applies the same rule as the HTTP route it mirrors (scopes, roles, tenant isolation).
import { SELF } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { createAgent } from "./helpers/chat";
import { apiKey, BASE, createTeam, createUser, token, type Team } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let team: Team;
let agentId: string;
let strangerAgentId: string;

function transport(headers: Record<string, string> = {}) {
  return new StreamableHTTPClientTransport(new URL("http://localhost/mcp"), { fetch: (input, init) => SELF.fetch(input, init), requestInit: { headers } });
}

async function connect(bearer: string): Promise<Client> {
  const client = new Client({ name: "liquid-hive-test", version: "1.0.0" });
  await client.connect(transport({ Authorization: `Bearer ${bearer}` }));
  return client;
}

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
    const err = await client.connect(transport()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamableHTTPError);
    expect((err as StreamableHTTPError).code).toBe(401);
  });

  it("fails to connect with a bad or revoked-looking token", async () => {
    const client = new Client({ name: "forged", version: "1.0.0" });
    const err = await client.connect(transport({ Authorization: "Bearer lh_forged_key_value" })).catch((e: unknown) => e);
    expect((err as StreamableHTTPError).code).toBe(401);
  });

  it("does not offer the GET stream (405) and refuses non-JSON-RPC bodies (400)", async () => {
    const key = (await apiKey(team.admin.token, ["agents:read"])).key;
    const get = await SELF.fetch(`${BASE}/mcp`, { headers: { Authorization: `Bearer ${key}`, Accept: "text/event-stream" } });
    expect(get.status).toBe(405);
    const bad = await SELF.fetch(`${BASE}/mcp`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify({ hello: "world" }) });
    expect(bad.status).toBe(400);
  });
});

describe("MCP tools apply the API's rules", () => {
  it("lets a key with only agents:read list agents but not chat", async () => {
    const client = await connect((await apiKey(team.admin.token, ["agents:read"])).key);
    const list = await client.callTool({ name: "list_agents", arguments: {} });
    expect(list.isError).toBeFalsy();
    const chatAttempt = await client.callTool({ name: "chat_with_agent", arguments: { agent_id: agentId, message: "hi" } });
    expect(chatAttempt.isError).toBe(true);
    expect((chatAttempt.content as { text: string }[])[0]?.text).toMatch(/^FORBIDDEN: .*chat scope/);
    await client.close();
  });

  it("keeps read-only members from chatting", async () => {
    const client = await connect(team.readOnly.token);
    const attempt = await client.callTool({ name: "chat_with_agent", arguments: { agent_id: agentId, message: "hi" } });
    expect(attempt.isError).toBe(true);
    expect((attempt.content as { text: string }[])[0]?.text).toMatch(/^FORBIDDEN/);
    await client.close();
  });

  it("cannot reach another tenant's agent or another member's conversation", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("hello")) });
    const admin = await connect(team.admin.token);
    const foreign = await admin.callTool({ name: "chat_with_agent", arguments: { agent_id: strangerAgentId, message: "hi" } });
    expect(foreign.isError).toBe(true);
    expect((foreign.content as { text: string }[])[0]?.text).toBe("NOT_FOUND: Agent not found");
    const mine = await admin.callTool({ name: "chat_with_agent", arguments: { agent_id: agentId, message: "mine" } });
    const conversationId = (mine.structuredContent as { conversation_id: string }).conversation_id;
    const user = await connect(team.user.token);
    const hijack = await user.callTool({ name: "chat_with_agent", arguments: { agent_id: agentId, message: "let me in", conversation_id: conversationId } });
    expect((hijack.content as { text: string }[])[0]?.text).toBe("NOT_FOUND: Conversation not found");
    const listed = await user.callTool({ name: "list_agents", arguments: {} });
    expect((listed.structuredContent as { agents: { id: string }[] }).agents.map((a) => a.id)).not.toContain(strangerAgentId);
    await admin.close();
    await user.close();
  });

  it("validates tool arguments", async () => {
    const client = await connect(team.admin.token);
    const empty = await client.callTool({ name: "chat_with_agent", arguments: { agent_id: agentId, message: "" } });
    expect(empty.isError).toBe(true);
    const huge = await client.callTool({ name: "chat_with_agent", arguments: { agent_id: agentId, message: "x".repeat(32_001) } });
    expect(huge.isError).toBe(true);
    await client.close();
  });
});
