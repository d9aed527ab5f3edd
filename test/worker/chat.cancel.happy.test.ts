// Cancelling: POST /api/conversations/:id/cancel aborts the model stream mid-answer; the answer
// ends with done/cancelled and is stored as cancelled. Cancelling while approvals wait drops them.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import type { ChatEvent } from "../../worker/chat/events";
import type { CancelResult, ConversationDetail } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import type { GenerateRequest, ModelEvent } from "../../worker/core/providers/types";
import { chat, chatRequest, createAgent, parseSse, text, toolCallScript } from "./helpers/chat";
import { expectStatus, newUserAccess } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let access: string;
let agent: Agent;

beforeAll(async () => {
  access = await newUserAccess();
  agent = await createAgent(access, { tools: ["http_get"] });
});

afterEach(() => clearProviderOverrides());

/** Notes whether the request's abort signal fired (the signal itself belongs to the Agent's context). */
class WatchedModel extends ScriptedModel {
  aborted = false;
  override async *stream(request: GenerateRequest): AsyncIterable<ModelEvent> {
    request.signal?.addEventListener("abort", () => (this.aborted = true));
    yield* super.stream(request);
  }
}

/** Reads SSE frames until `until` matches one; returns the events seen and the open reader. */
async function readUntil(res: Response, until: (e: ChatEvent) => boolean) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const seen: ChatEvent[] = [];
  while (!seen.some(until)) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const cut = buffer.lastIndexOf("\n\n");
    if (cut >= 0) {
      seen.push(...parseSse(buffer.slice(0, cut + 2)));
      buffer = buffer.slice(cut + 2);
    }
  }
  const rest = async () => {
    let tail = buffer;
    for (let r = await reader.read(); !r.done; r = await reader.read())
      tail += decoder.decode(r.value, { stream: true });
    return [...seen, ...parseSse(tail)];
  };
  return { seen, rest };
}

describe("cancel", () => {
  it("stops a running answer: the model stream is aborted, done says cancelled, the message is stored cancelled", async () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ");
    const model = new WatchedModel(textScript(words), { delayMs: 20 });
    setProviderOverrides({ model });
    const res = await chatRequest(access, agent.id, "talk for a long time");
    const conversationId = res.headers.get("X-Conversation-Id") ?? "";
    const stream = await readUntil(res, (e) => e.type === "token");

    const cancel = await expectStatus<CancelResult>(200, "POST", `/api/conversations/${conversationId}/cancel`, {
      token: access,
    });
    expect(cancel.cancelled).toBe(true);
    const events = await stream.rest();
    expect(events.at(-1)).toMatchObject({ type: "done", reason: "cancelled" });
    const tokens = events.filter((e) => e.type === "token").length;
    expect(tokens).toBeGreaterThan(0);
    expect(tokens).toBeLessThan(200);
    expect(model.aborted).toBe(true);

    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${conversationId}`, {
      token: access,
    });
    expect(detail.live_status).toBe("idle");
    expect(detail.status).toBe("cancelled");
    const answer = detail.messages.data.find((m) => m.role === "assistant");
    expect(answer?.status).toBe("cancelled");
    // What was stored is exactly what the client was sent before the cancel.
    expect(answer?.content).toBe(text(events));

    const again = await expectStatus<CancelResult>(200, "POST", `/api/conversations/${conversationId}/cancel`, {
      token: access,
    });
    expect(again).toEqual({ cancelled: false, status: "idle" });
  });

  it("lets the conversation continue after a cancel", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("a b c d e f g h"), { delayMs: 30 }) });
    const res = await chatRequest(access, agent.id, "first");
    const conversationId = res.headers.get("X-Conversation-Id") ?? "";
    const stream = await readUntil(res, (e) => e.type === "token");
    await expectStatus(200, "POST", `/api/conversations/${conversationId}/cancel`, { token: access });
    await stream.rest();
    setProviderOverrides({ model: new ScriptedModel(textScript("second answer")) });
    const next = await chat(access, agent.id, "second", conversationId);
    expect(next.events.at(-1)).toMatchObject({ type: "done", reason: "stop" });
  });

  it("drops pending approvals, recording each call as cancelled", async () => {
    setProviderOverrides({
      model: new ScriptedModel(toolCallScript("http_get", { url: "https://docs.example.com/" }, "call_w")),
    });
    const r = await chat(access, agent.id, "fetch");
    expect(r.events.at(-1)).toMatchObject({ reason: "awaiting_approval" });
    const cancel = await expectStatus<CancelResult>(200, "POST", `/api/conversations/${r.conversationId}/cancel`, {
      token: access,
    });
    expect(cancel).toEqual({ cancelled: true, status: "idle" });
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${r.conversationId}`, {
      token: access,
    });
    expect(detail.pending_approvals).toEqual([]);
    expect(detail.messages.data.at(-1)).toMatchObject({ role: "tool", status: "cancelled", tool_call_id: "call_w" });
  });
});
