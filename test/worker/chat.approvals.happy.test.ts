// Approval gating: a side-effecting tool (http_get) never runs until a person approves the call
// in the conversation; approving resumes the answer, denying records the denial and lets the
// model answer without it.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import type { ConversationDetail } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat, createAgent, decide, text, toolCallScript, types } from "./helpers/chat";
import { api, type ErrorBody, expectStatus, newUserAccess } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let access: string;
let agent: Agent;

beforeAll(async () => {
  access = await newUserAccess();
  agent = await createAgent(access, { tools: ["http_get", "calculator"] });
});

afterEach(() => {
  clearProviderOverrides();
  vi.restoreAllMocks();
});

const fetchesUrl = (url: string) =>
  new ScriptedModel((req) => {
    const last = req.messages.at(-1);
    return last?.role === "tool"
      ? textScript(`Tool said: ${last.content.slice(0, 40)}`)
      : toolCallScript("http_get", { url }, "call_fetch");
  });

function stubUpstream(body = "hello from upstream") {
  return vi
    .spyOn(globalThis, "fetch")
    .mockImplementation(async () => new Response(body, { status: 200, headers: { "Content-Type": "text/plain" } }));
}

describe("approval gating", () => {
  it("stops at approval_required without running the tool, then runs it once approved", async () => {
    const upstream = stubUpstream();
    setProviderOverrides({ model: fetchesUrl("https://docs.example.com/page") });
    const r = await chat(access, agent.id, "fetch the docs");
    expect(types(r.events)).toEqual(["start", "usage", "tool_call", "approval_required", "done"]);
    expect(r.events.find((e) => e.type === "tool_call")).toMatchObject({ name: "http_get", side_effects: true });
    expect(r.events.at(-1)).toMatchObject({
      type: "done",
      reason: "awaiting_approval",
      pending_approvals: ["call_fetch"],
    });
    expect(upstream).not.toHaveBeenCalled();

    const waiting = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${r.conversationId}`, {
      token: access,
    });
    expect(waiting.live_status).toBe("awaiting_approval");
    expect(waiting.status).toBe("awaiting_approval");
    expect(waiting.pending_approvals).toEqual([
      {
        call_id: "call_fetch",
        name: "http_get",
        arguments: '{"url":"https://docs.example.com/page"}',
        message_id: expect.any(String),
      },
    ]);

    const blocked = await chat(access, agent.id, "and another thing", r.conversationId);
    expect(blocked.status).toBe(409);
    expect((blocked.body as ErrorBody).error.details).toMatchObject({
      status: "awaiting_approval",
      pending_approvals: ["call_fetch"],
    });

    const resumed = await decide(access, r.conversationId, "call_fetch", "approve");
    expect(resumed.status).toBe(200);
    expect(types(resumed.events).slice(0, 2)).toEqual(["start", "tool_result"]);
    expect(resumed.events[0]).toMatchObject({ type: "start", resumed: true });
    expect(resumed.events[1]).toMatchObject({
      type: "tool_result",
      status: "ok",
      content: expect.stringContaining("hello from upstream"),
    });
    expect(resumed.events.at(-1)).toMatchObject({ type: "done", reason: "stop" });
    // The model reads the page fenced as data (spotlighting).
    expect(text(resumed.events)).toContain('Tool said: <untrusted source="http_get">\nHTTP 200');
    expect(upstream).toHaveBeenCalledTimes(1);
    expect(String(upstream.mock.calls[0]?.[0])).toBe("https://docs.example.com/page");

    const after = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${r.conversationId}`, {
      token: access,
    });
    expect(after.live_status).toBe("idle");
    expect(after.pending_approvals).toEqual([]);
    expect(after.messages.data.map((m) => `${m.role}:${m.status}`)).toEqual([
      "user:complete",
      "assistant:complete",
      "tool:ok",
      "assistant:complete",
    ]);
  });

  it("records a denial, never runs the tool, and lets the model answer without it", async () => {
    const upstream = stubUpstream();
    const model = fetchesUrl("https://docs.example.com/private");
    setProviderOverrides({ model });
    const r = await chat(access, agent.id, "fetch something");
    const resumed = await decide(access, r.conversationId, "call_fetch", "deny", "not that site");
    expect(resumed.events[1]).toMatchObject({
      type: "tool_result",
      status: "denied",
      content: "The user denied this tool call: not that site",
    });
    expect(resumed.events.at(-1)).toMatchObject({ type: "done", reason: "stop" });
    expect(upstream).not.toHaveBeenCalled();
    expect(model.requests.at(-1)?.messages.at(-1)).toEqual({
      role: "tool",
      content: '<untrusted source="http_get">\nThe user denied this tool call: not that site\n</untrusted>',
      toolCallId: "call_fetch",
    });
    const detail = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${r.conversationId}`, {
      token: access,
    });
    expect(detail.messages.data.find((m) => m.role === "tool")).toMatchObject({
      status: "denied",
      tool_call_id: "call_fetch",
      tool_name: "http_get",
    });
  });

  it("does not ask for approval for a URL the allowlist refuses; the model gets the refusal", async () => {
    const upstream = stubUpstream();
    setProviderOverrides({ model: fetchesUrl("https://evil.example.net/steal") });
    const r = await chat(access, agent.id, "fetch evil");
    expect(types(r.events)).not.toContain("approval_required");
    // The event says what the tool is (it has side effects), not what happened to this call.
    expect(r.events.find((e) => e.type === "tool_call")).toMatchObject({ name: "http_get", side_effects: true });
    expect(r.events.find((e) => e.type === "tool_result")).toMatchObject({
      status: "error",
      content: expect.stringMatching(/not in the HTTP tool allowlist/),
    });
    expect(r.events.at(-1)).toMatchObject({ type: "done", reason: "stop" });
    expect(upstream).not.toHaveBeenCalled();
  });

  it("audits the decided call's tool and arguments, with secrets in its URL redacted", async () => {
    stubUpstream();
    setProviderOverrides({ model: fetchesUrl("https://docs.example.com/page?api_key=sk-live-123&q=ok") });
    const r = await chat(access, agent.id, "fetch with a key");
    await decide(access, r.conversationId, "call_fetch", "approve");
    const trail = await expectStatus<{ data: { action: string; detail: Record<string, unknown> }[] }>(
      200,
      "GET",
      `/api/audit?action=tool_call.approve&target=${r.conversationId}`,
      { token: access },
    );
    expect(trail.data[0]?.detail).toEqual({
      call_id: "call_fetch",
      tool: "http_get",
      arguments: { url: "https://docs.example.com/page?api_key=%5Bredacted%5D&q=ok" },
    });
    expect(JSON.stringify(trail.data)).not.toContain("sk-live-123");
  });

  it("answers 404 for a call id that is not pending, and 400 for a bad decision", async () => {
    setProviderOverrides({ model: fetchesUrl("https://docs.example.com/x") });
    const r = await chat(access, agent.id, "fetch x");
    const unknown = await decide(access, r.conversationId, "call_other", "approve");
    expect(unknown.status).toBe(404);
    expect((unknown.body as ErrorBody).error.code).toBe("NOT_FOUND");
    const bad = await api<ErrorBody>("POST", `/api/conversations/${r.conversationId}/approvals/call_fetch`, {
      token: access,
      body: { decision: "maybe" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_ERROR");
    const still = await expectStatus<ConversationDetail>(200, "GET", `/api/conversations/${r.conversationId}`, {
      token: access,
    });
    expect(still.pending_approvals.map((p) => p.call_id)).toEqual(["call_fetch"]);
  });

  it("runs safe tools at once and waits only for the side-effecting ones in the same step", async () => {
    stubUpstream("doc body");
    setProviderOverrides({
      model: new ScriptedModel((req) =>
        req.messages.at(-1)?.role === "tool" && req.messages.filter((m) => m.role === "tool").length === 2
          ? textScript("both done")
          : [
              { type: "tool_call", call: { id: "calc", name: "calculator", arguments: '{"expression":"6*7"}' } },
              {
                type: "tool_call",
                call: { id: "web", name: "http_get", arguments: '{"url":"https://docs.example.com/a"}' },
              },
              { type: "finish", reason: "tool_calls", usage: { inputTokens: 1, outputTokens: 1 } },
            ],
      ),
    });
    const r = await chat(access, agent.id, "both");
    expect(
      r.events.filter((e) => e.type === "tool_result").map((e) => (e.type === "tool_result" ? e.call_id : "")),
    ).toEqual(["calc"]);
    expect(r.events.at(-1)).toMatchObject({ type: "done", reason: "awaiting_approval", pending_approvals: ["web"] });
    const resumed = await decide(access, r.conversationId, "web", "approve");
    expect(text(resumed.events)).toBe("both done");
  });
});
