// The conversation's Agent keeps its state in SQLite: after its Durable Object instance is
// reset (what eviction does), history and pending approvals are intact and the conversation
// continues; an answer cut off by the reset is marked interrupted instead of staying "running".
import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import type { ConversationDetail } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat, chatRequest, createAgent, decide, text, toolCallScript } from "./helpers/chat";
import { evict, expectStatus, newUserAccess } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let access: string;
let agent: Agent;

beforeAll(async () => {
  access = await newUserAccess();
  agent = await createAgent(access, { tools: ["http_get"] });
});

afterEach(() => {
  clearProviderOverrides();
  vi.restoreAllMocks();
});

const detail = (id: string) =>
  expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${id}`, { token: access });

describe("Agent Durable Object eviction", () => {
  it("restores history and pending approvals after a reset, and the approval still resumes the answer", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(
      async () => new Response("fetched after restart", { headers: { "Content-Type": "text/plain" } }),
    );
    setProviderOverrides({
      model: new ScriptedModel((req) =>
        req.messages.at(-1)?.role === "tool"
          ? textScript("resumed fine")
          : toolCallScript("http_get", { url: "https://docs.example.com/r" }, "call_r"),
      ),
    });
    const r = await chat(access, agent.id, "fetch then evict");
    const before = await detail(r.conversationId);
    expect(before.pending_approvals.map((p) => p.call_id)).toEqual(["call_r"]);

    await evict(env.CONVERSATION_AGENT.getByName(r.conversationId));

    const after = await detail(r.conversationId);
    expect(after.live_status).toBe("awaiting_approval");
    expect(after.pending_approvals).toEqual(before.pending_approvals);
    expect(after.messages.data).toEqual(before.messages.data);

    const resumed = await decide(access, r.conversationId, "call_r", "approve");
    expect(resumed.events.find((e) => e.type === "tool_result")).toMatchObject({
      status: "ok",
      content: expect.stringContaining("fetched after restart"),
    });
    expect(text(resumed.events)).toBe("resumed fine");
    expect((await detail(r.conversationId)).messages.data).toHaveLength(4);
  });

  it("marks an answer cut off by a reset as interrupted and accepts the next message", async () => {
    setProviderOverrides({
      model: new ScriptedModel(textScript("one two three four five six seven eight nine ten"), { delayMs: 40 }),
    });
    const res = await chatRequest(access, agent.id, "long answer");
    const conversationId = res.headers.get("X-Conversation-Id") ?? "";
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();

    await evict(env.CONVERSATION_AGENT.getByName(conversationId));
    await reader.read().catch(() => undefined);

    const after = await detail(conversationId);
    expect(after.live_status).toBe("idle");
    expect(after.messages.data.map((m) => `${m.role}:${m.status}`)).toEqual(["user:complete", "assistant:interrupted"]);

    setProviderOverrides({ model: new ScriptedModel(textScript("back again")) });
    const next = await chat(access, agent.id, "still there?", conversationId);
    expect(text(next.events)).toBe("back again");
  });

  it("keeps the text streamed before a reset in the interrupted answer", async () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    setProviderOverrides({ model: new ScriptedModel(textScript(words), { delayMs: 30 }) });
    const res = await chatRequest(access, agent.id, "long answer, cut");
    const conversationId = res.headers.get("X-Conversation-Id") ?? "";
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    // Half the answer's 1.2 s: a few checkpoints (PARTIAL_SAVE_MS) have passed, the answer has not ended.
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 600));

    await evict(env.CONVERSATION_AGENT.getByName(conversationId));
    await reader.read().catch(() => undefined);

    const after = await detail(conversationId);
    const answer = after.messages.data.find((m) => m.role === "assistant");
    expect(answer?.status).toBe("interrupted");
    expect(answer?.content).toMatch(/^w0 w1/);
    expect(words.startsWith(answer?.content ?? "-")).toBe(true);
    expect(after.live_status).toBe("idle");
  });
});
