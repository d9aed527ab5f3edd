// Opening a conversation ahead of its first message (POST /api/agents/:id/conversations): the
// Agent object is created and bound, and the D1 row written, before anything is said; the first
// message then continues it like any conversation and names it when it was opened untitled.
import { env, runInDurableObject } from "cloudflare:test";
import { getAgentByName } from "agents";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConversationAgent } from "../../durable-objects/agent-conversation";
import type { Agent } from "../../worker/agents/schemas";
import type { Conversation, ConversationDetail } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat, createAgent, text, types } from "./helpers/chat";
import { api, evict, expectStatus, newUserAccess } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let access: string;
let agent: Agent;

beforeAll(async () => {
  access = await newUserAccess();
  agent = await createAgent(access, { name: "Ahead" });
});

afterEach(() => clearProviderOverrides());

const open = (body: unknown = {}) =>
  expectStatus<Conversation>(201, "POST", `/api/agents/${agent.id}/conversations`, { token: access, body });

describe("POST /api/agents/:id/conversations", () => {
  it("opens an idle, untitled conversation: listed, readable, its Agent already bound, and audited", async () => {
    const c = await open();
    expect(c).toMatchObject({ agent_id: agent.id, agent_version: 1, title: "", status: "idle" });
    expect(c.id).toMatch(/^conv_/);
    const list = await expectStatus<{ data: Conversation[] }>(200, "GET", `/api/conversations?agent_id=${agent.id}`, {
      token: access,
    });
    expect(list.data.map((x) => x.id)).toContain(c.id);
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${c.id}`, { token: access });
    expect(detail).toMatchObject({
      id: c.id,
      live_status: "idle",
      pending_approvals: [],
      messages: { data: [], next_cursor: null },
    });
    const stub = await getAgentByName(env.CONVERSATION_AGENT, c.id);
    const state = await runInDurableObject(stub, (instance: ConversationAgent) => instance.state);
    expect(state).toMatchObject({ conversationId: c.id, agentId: agent.id, status: "idle", untitled: true });
    const audited = await env.DB.prepare("SELECT action, outcome FROM audit_logs WHERE target_id = ?").bind(c.id).all();
    expect(audited.results).toEqual([{ action: "conversation.open", outcome: "success" }]);
  });

  it("streams the first message into the opened conversation, which takes its title from it", async () => {
    const c = await open();
    setProviderOverrides({ model: new ScriptedModel(textScript("Ready when you are.")) });
    const first = await chat(access, agent.id, "  Plan the\nlaunch  ", c.id);
    expect(first.status).toBe(200);
    expect(types(first.events)).toEqual(["start", "token", "token", "token", "token", "usage", "done"]);
    expect(first.events[0]).toMatchObject({ type: "start", conversation_id: c.id, resumed: false });
    expect(text(first.events)).toBe("Ready when you are.");
    await chat(access, agent.id, "and the budget", c.id);
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${c.id}`, { token: access });
    expect(detail).toMatchObject({ title: "Plan the launch", status: "idle", live_status: "idle" });
    expect(detail.messages.data.map((m) => `${m.role}:${m.content}`)).toEqual([
      "user:Plan the\nlaunch",
      "assistant:Ready when you are.",
      "user:and the budget",
      "assistant:Ready when you are.",
    ]);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ?")
      .bind(c.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(4);
    const audited = await env.DB.prepare("SELECT action FROM audit_logs WHERE target_id = ? ORDER BY created_at, id")
      .bind(c.id)
      .all<{ action: string }>();
    expect(audited.results.map((r) => r.action).sort()).toEqual(["chat.message", "chat.message", "conversation.open"]);
  });

  it("keeps a title given at opening", async () => {
    const c = await open({ title: "  Quarterly review " });
    expect(c.title).toBe("Quarterly review");
    setProviderOverrides({ model: new ScriptedModel(textScript("ok")) });
    await chat(access, agent.id, "first words", c.id);
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${c.id}`, { token: access });
    expect(detail.title).toBe("Quarterly review");
  });

  it("keeps the opening through an eviction of the Agent before the first message", async () => {
    const c = await open();
    await evict(await getAgentByName(env.CONVERSATION_AGENT, c.id));
    setProviderOverrides({ model: new ScriptedModel(textScript("still here")) });
    const r = await chat(access, agent.id, "after a restart", c.id);
    expect(text(r.events)).toBe("still here");
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${c.id}`, { token: access });
    expect(detail).toMatchObject({ title: "after a restart", live_status: "idle" });
  });

  it("can be cancelled (nothing running) and deleted before any message", async () => {
    const c = await open();
    const cancel = await api<{ cancelled: boolean; status: string }>("POST", `/api/conversations/${c.id}/cancel`, {
      token: access,
    });
    expect(cancel).toMatchObject({ status: 200, body: { cancelled: false, status: "idle" } });
    expect((await api("DELETE", `/api/conversations/${c.id}`, { token: access })).status).toBe(204);
    expect((await api("GET", `/api/conversations/${c.id}`, { token: access })).status).toBe(404);
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM conversations WHERE id = ?")
      .bind(c.id)
      .first<{ n: number }>();
    expect(row?.n).toBe(0);
  });
});
