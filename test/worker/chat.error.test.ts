// Bad chat requests get the error envelope, never a 500 or a half-open stream; a model that
// fails outright ends the stream with an `error` event and the failure is stored.
import { SELF } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import type { ConversationDetail } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import type { ModelProvider } from "../../worker/core/providers/types";
import { chat, chatRequest, createAgent, text } from "./helpers/chat";
import { api, BASE, type ErrorBody, expectStatus, newUserAccess } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let access: string;
let agent: Agent;

beforeAll(async () => {
  access = await newUserAccess();
  agent = await createAgent(access);
});

afterEach(() => clearProviderOverrides());

const envelope = (r: { status: number; body: unknown }) => ({
  status: r.status,
  code: (r.body as ErrorBody).error.code,
});

describe("chat input", () => {
  it("answers 404 for an unknown agent and for a deleted one", async () => {
    expect(envelope(await chat(access, "agt_nope", "hello"))).toEqual({ status: 404, code: "NOT_FOUND" });
    const doomed = await createAgent(access, { name: "Doomed" });
    await api("DELETE", `/api/agents/${doomed.id}`, { token: access });
    expect(envelope(await chat(access, doomed.id, "hello"))).toEqual({ status: 404, code: "NOT_FOUND" });
  });

  it.each([
    ["an empty message", ""],
    ["a blank message", "   \n\t "],
    ["a message over 32,000 characters", "x".repeat(32_001)],
    ["a number", 42],
    ["null", null],
  ])("answers 400 for %s", async (_label, message) => {
    const r = await chat(access, agent.id, message);
    expect(envelope(r)).toEqual({ status: 400, code: "VALIDATION_ERROR" });
    expect((r.body as ErrorBody).error.details).toMatchObject({
      fields: [expect.objectContaining({ path: "message" })],
    });
  });

  it("answers 413 for a body over the size limit", async () => {
    const res = await SELF.fetch(`${BASE}/api/agents/${agent.id}/chat`, {
      method: "POST",
      headers: { Authorization: `Bearer ${access}`, "Content-Type": "application/json" },
      body: JSON.stringify({ message: "y".repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
    expect((await res.json<ErrorBody>()).error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers 400 for unknown fields and 404 for an unknown conversation", async () => {
    const extra = await api<ErrorBody>("POST", `/api/agents/${agent.id}/chat`, {
      token: access,
      body: { message: "hi", model: "gpt-9" },
    });
    expect(extra.status).toBe(400);
    expect(envelope(await chat(access, agent.id, "hi", "conv_unknown"))).toEqual({ status: 404, code: "NOT_FOUND" });
  });

  it("answers 409 for a conversation that belongs to another agent", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("ok")) });
    const other = await createAgent(access, { name: "Other" });
    const first = await chat(access, other.id, "start here");
    expect(envelope(await chat(access, agent.id, "jump agents", first.conversationId))).toEqual({
      status: 409,
      code: "CONFLICT",
    });
  });

  it("answers 409 while an answer is still running in that conversation", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("slow slow slow slow"), { delayMs: 60 }) });
    const running = await chatRequest(access, agent.id, "take your time");
    const conversationId = running.headers.get("X-Conversation-Id") ?? "";
    const second = await chat(access, agent.id, "me too", conversationId);
    expect(envelope(second)).toEqual({ status: 409, code: "CONFLICT" });
    expect((second.body as ErrorBody).error.details).toMatchObject({ status: "running" });
    await running.text();
  });
});

describe("model failures", () => {
  it("hands an answer the model breaks off mid-way to the offline model, which continues it, flagged degraded", async () => {
    const failing: ModelProvider = {
      id: "flaky",
      degraded: false,
      async *stream() {
        yield { type: "text", delta: "partial" };
        throw new Error("connection reset");
      },
    };
    setProviderOverrides({ model: failing });
    const r = await chat(access, agent.id, "break mid-way");
    expect(r.status).toBe(200);
    const answer = text(r.events);
    expect(answer).toMatch(/^partial\n\n\[The agent's model \(flaky:.+\) failed mid-answer/);
    expect(r.events.find((e) => e.type === "usage")).toMatchObject({
      degraded: true,
      fallback: { reason: "model_failed", switched_at: "partial".length },
    });
    expect(r.events.at(-1)).toMatchObject({ type: "done", degraded: true });
    expect(JSON.stringify(r.events)).not.toContain("connection reset");
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${r.conversationId}`, {
      token: access,
    });
    expect(detail.live_status).toBe("idle");
    expect(detail.messages.data[1]).toMatchObject({ role: "assistant", status: "complete", content: answer });
  });
});
