// Chat end to end through the Worker and the conversation's Agent Durable Object, with a
// scripted model: the event order, stored history, usage accounting, multi-turn context.
import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import type { ConversationDetail } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat, createAgent, text, types } from "./helpers/chat";
import { expectStatus, newUserAccess } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let access: string;
let agent: Agent;

beforeAll(async () => {
  access = await newUserAccess();
  agent = await createAgent(access, { name: "Helper", system_prompt: "You are terse." });
});

afterEach(() => clearProviderOverrides());

describe("POST /api/agents/:id/chat", () => {
  it("streams start, tokens, usage, then done — in that order — and stores the exchange", async () => {
    setProviderOverrides({
      model: new ScriptedModel(textScript("Hello there, friend.", { inputTokens: 12, outputTokens: 0 })),
    });
    const r = await chat(access, agent.id, "Say hello");
    expect(r.status).toBe(200);
    expect(types(r.events)).toEqual(["start", "token", "token", "token", "usage", "done"]);
    expect(text(r.events)).toBe("Hello there, friend.");
    const start = r.events[0];
    expect(start).toMatchObject({ type: "start", agent_id: agent.id, agent_version: 1, resumed: false });
    const done = r.events.at(-1);
    expect(done).toMatchObject({ type: "done", reason: "stop", degraded: false, pending_approvals: [] });
    expect(start?.type === "start" && done?.type === "done" && start.message_id === done.message_id).toBe(true);
    const usage = r.events.find((e) => e.type === "usage");
    expect(usage).toMatchObject({ tokens_in: 12, tokens_out: 3, degraded: false });

    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${r.conversationId}`, {
      token: access,
    });
    expect(detail).toMatchObject({
      agent_id: agent.id,
      agent_version: 1,
      title: "Say hello",
      live_status: "idle",
      pending_approvals: [],
    });
    expect(detail.messages.data.map((m) => [m.role, m.content, m.status])).toEqual([
      ["user", "Say hello", "complete"],
      ["assistant", "Hello there, friend.", "complete"],
    ]);
    expect(detail.messages.data[1]).toMatchObject({ tokens_in: 12, tokens_out: 3, agent_version: 1, degraded: false });
    expect(detail.messages.data[1]?.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it("sends the system prompt and the whole conversation on the next turn", async () => {
    const model = new ScriptedModel((req) =>
      textScript(`turn ${req.messages.filter((m) => m.role === "user").length}`),
    );
    setProviderOverrides({ model });
    const first = await chat(access, agent.id, "one");
    const second = await chat(access, agent.id, "two", first.conversationId);
    expect(second.conversationId).toBe(first.conversationId);
    expect(text(second.events)).toBe("turn 2");
    // The system prompt carries the safety note and the agent's canary after the agent's own prompt.
    const sent = model.requests[1]?.messages.map((m) => `${m.role}:${m.content}`) ?? [];
    expect(sent[0]).toMatch(/^system:You are terse\.\n\n[\s\S]*hive-canary-[0-9a-f]{16}/);
    expect(sent.slice(1)).toEqual(["user:one", "assistant:turn 1", "user:two"]);
  });

  it("sends a long conversation's newest exchanges that fit the 200,000-character history budget, starting at a user message", async () => {
    const model = new ScriptedModel((req) =>
      textScript(`seen ${req.messages.filter((m) => m.role === "user").length}`),
    );
    setProviderOverrides({ model });
    // Eight 30,000-character messages (240,000 in all): the oldest ones cannot all be sent.
    const long = (n: number) => `${n} ${"x".repeat(29_990)}`;
    let conversationId: string | undefined;
    for (let n = 1; n <= 8; n++)
      conversationId = (await chat(access, agent.id, long(n), conversationId)).conversationId;
    const last = model.requests.at(-1)?.messages ?? [];
    const users = last.filter((m) => m.role === "user").map((m) => m.content.split(" ")[0]);
    // Newest first: 8..2 hold 210,000+ characters with the answers, so the walk stops inside turn 2 and starts at turn 3.
    expect(users).toEqual(["3", "4", "5", "6", "7", "8"]);
    expect(last[0]?.role).toBe("system");
    expect(last[1]).toMatchObject({ role: "user" });
    expect(last.reduce((n, m) => n + (m.role === "system" ? 0 : m.content.length), 0)).toBeLessThanOrEqual(200_000);
  });

  it("mirrors every message to D1 and adds the usage to the agent's totals", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("counted", { inputTokens: 7, outputTokens: 2 })) });
    const before = await expectStatus<Agent>(200, "GET", `/api/agents/${agent.id}`, {
      token: access,
      headers: { "Cache-Control": "no-cache" },
    });
    const r = await chat(access, agent.id, "count me");
    const rows = await env.DB.prepare(
      "SELECT role, content, status, seq FROM messages WHERE conversation_id = ? ORDER BY seq",
    )
      .bind(r.conversationId)
      .all();
    expect(rows.results).toEqual([
      { role: "user", content: "count me", status: "complete", seq: 1 },
      { role: "assistant", content: "counted", status: "complete", seq: 2 },
    ]);
    const after = await expectStatus<Agent>(200, "GET", `/api/agents/${agent.id}`, {
      token: access,
      headers: { "Cache-Control": "no-cache" },
    });
    expect(after.tokens_in - before.tokens_in).toBe(7);
    expect(after.tokens_out - before.tokens_out).toBe(2);
  });

  it("falls back to the offline model when the primary fails, and flags the answer degraded", async () => {
    setProviderOverrides({
      model: new ScriptedModel(() => {
        throw new Error("primary is down");
      }),
    });
    const r = await chat(access, agent.id, "anyone there?");
    expect(r.events.at(-1)).toMatchObject({ type: "done", reason: "stop", degraded: true });
    expect(r.events.find((e) => e.type === "usage")).toMatchObject({ degraded: true, model: "offline:offline" });
    // Issue 16 item 5: a configured model that failed is not "no model configured".
    expect(text(r.events)).toMatch(/^The agent's model \(scripted:offline\) failed to answer/);
    expect(text(r.events)).not.toContain("No language model is configured");
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${r.conversationId}`, {
      token: access,
    });
    expect(detail.messages.data[1]).toMatchObject({ role: "assistant", degraded: true, model: "offline:offline" });
  });

  it("pages through a conversation's history, oldest first", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("reply")) });
    const first = await chat(access, agent.id, "m1");
    await chat(access, agent.id, "m2", first.conversationId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : "";
      const page: ConversationDetail = await expectStatus(
        200,
        "GET",
        `/api/conversations/${first.conversationId}?limit=3${q}`,
        { token: access },
      );
      expect(page.messages.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.messages.data.map((m) => m.content));
      cursor = page.messages.next_cursor;
    } while (cursor);
    expect(seen).toEqual(["m1", "reply", "m2", "reply"]);
  });

  it("lists the caller's conversations, newest first, filterable by agent", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("ok")) });
    const other = await createAgent(access, { name: "Other" });
    const a = await chat(access, agent.id, "for the helper");
    const b = await chat(access, other.id, "for the other");
    const all = await expectStatus<{ data: { id: string }[] }>(200, "GET", "/api/conversations?limit=100", {
      token: access,
    });
    expect(all.data[0]?.id).toBe(b.conversationId);
    expect(all.data.map((c) => c.id)).toContain(a.conversationId);
    const filtered = await expectStatus<{ data: { id: string; agent_id: string }[] }>(
      200,
      "GET",
      `/api/conversations?agent_id=${other.id}`,
      { token: access },
    );
    expect(filtered.data.map((c) => c.id)).toEqual([b.conversationId]);
  });
});
