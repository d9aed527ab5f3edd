import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import type { ConversationDetail } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { createAgent, toolCallScript } from "./helpers/chat";
import { apiKey, expectStatus, newUserAccess } from "./helpers/harness";
import { connectMcp } from "./helpers/mcp";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let access: string;
let agent: Agent;

beforeAll(async () => {
  access = await newUserAccess();
  agent = await createAgent(access, { name: "MCP helper", description: "Answers over MCP", tools: ["http_get"] });
});

afterEach(() => clearProviderOverrides());

describe("MCP server", () => {
  it("lists its tools", async () => {
    const client = await connectMcp((await apiKey(access, ["agents:read", "chat"])).key);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["chat_with_agent", "list_agents"]);
    expect(tools.find((t) => t.name === "chat_with_agent")?.inputSchema).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["agent_id", "message"]),
    });
    await client.close();
  });

  it("lists the caller's agents", async () => {
    const client = await connectMcp(access);
    const result = await client.callTool({ name: "list_agents", arguments: {} });
    expect(result.isError).toBeFalsy();
    const agents = (result.structuredContent as { agents: { id: string; name: string }[] }).agents;
    expect(agents).toContainEqual(expect.objectContaining({ id: agent.id, name: "MCP helper" }));
    await client.close();
  });

  it("chats with an agent and records the conversation", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("Hello over MCP")) });
    const client = await connectMcp((await apiKey(access, ["agents:read", "chat"])).key);
    const result = await client.callTool({
      name: "chat_with_agent",
      arguments: { agent_id: agent.id, message: "hi from a tool" },
    });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: "text", text: "Hello over MCP" }]);
    const data = result.structuredContent as { conversation_id: string; finish_reason: string };
    expect(data.finish_reason).toBe("stop");
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${data.conversation_id}`, {
      token: access,
    });
    expect(detail.messages.data.map((m) => m.content)).toEqual(["hi from a tool", "Hello over MCP"]);

    setProviderOverrides({ model: new ScriptedModel(textScript("second turn")) });
    const again = await client.callTool({
      name: "chat_with_agent",
      arguments: { agent_id: agent.id, message: "more", conversation_id: data.conversation_id },
    });
    expect((again.structuredContent as { conversation_id: string }).conversation_id).toBe(data.conversation_id);
    await client.close();
  });

  it("says when a side-effecting tool waits for approval", async () => {
    setProviderOverrides({
      model: new ScriptedModel(toolCallScript("http_get", { url: "https://docs.example.com/" }, "call_mcp")),
    });
    const client = await connectMcp(access);
    const result = await client.callTool({
      name: "chat_with_agent",
      arguments: { agent_id: agent.id, message: "fetch it" },
    });
    expect(result.structuredContent).toMatchObject({
      finish_reason: "awaiting_approval",
      pending_approvals: ["call_mcp"],
    });
    expect((result.content as { text: string }[])[0]?.text).toContain("Waiting for approval of call_mcp");
    await client.close();
  });
});
