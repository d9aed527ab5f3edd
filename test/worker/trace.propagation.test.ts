// One trace across the platform's boundaries: a chat turn in the conversation's Durable Object,
// a queue message from the request that sent it to the consumer that handles it, and the
// traceparent header on outgoing calls to model servers and http_get.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OpenAiCompatibleModel } from "../../worker/core/providers/openai-compatible-model";
import { runSegment } from "../../worker/core/trace/tracer";
import { guardedFetch } from "../../worker/outbound/fetch";
import { handleQueue } from "../../worker/queue/consumer";
import { BASE } from "./helpers/harness";
import { newTraceId, PARENT_SPAN, type StoredSpan, storedTrace, tracedChat, traceparent } from "./helpers/traces";
import { createKb, signedInUser, uploadJson } from "./knowledge.helpers";

afterEach(() => vi.restoreAllMocks());

/** Whether `span` descends from the span with id `ancestor`. */
function descendsFrom(spans: StoredSpan[], span: StoredSpan | undefined, ancestor: string): boolean {
  const byId = new Map(spans.map((s) => [s.span_id, s]));
  for (let at = span; at; at = byId.get(at.parent_span_id ?? "")) if (at.parent_span_id === ancestor) return true;
  return false;
}

describe("Durable Object turns", () => {
  it("puts a chat turn's spans in the Agent object under the HTTP request's trace", async () => {
    const { traceId, agentId, response: res } = await tracedChat("What is lift?");
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Trace-Id")).toBe(traceId);
    const isObjectSpan = (s: StoredSpan) => s.name === "ConversationAgent/chat" && s.kind === "server";
    const { trace, spans } = await storedTrace(
      traceId,
      (s) =>
        s.some(isObjectSpan) &&
        s.some((x) => x.parent_span_id === PARENT_SPAN) &&
        s.some((x) => x.name.startsWith("D1 BATCH")),
    );
    const root = spans.find((s) => s.parent_span_id === PARENT_SPAN);
    expect(root?.name).toBe("POST /api/agents/:id/chat");
    const client = spans.find((s) => s.name === "ConversationAgent/chat" && s.kind === "client");
    expect(client?.attributes).toMatchObject({ "rpc.system": "durable_object", "rpc.method": "chat" });
    expect(descendsFrom(spans, client, root?.span_id ?? "")).toBe(true);
    const inObject = spans.find(isObjectSpan);
    expect(inObject?.parent_span_id).toBe(client?.span_id);
    // The turn's D1 writes (the message mirror) are spans of the object's segment.
    const writes = spans.filter((s) => s.name.startsWith("D1 ") && descendsFrom(spans, s, inObject?.span_id ?? ""));
    expect(writes.length).toBeGreaterThan(0);
    // The trace is named by the request, whichever segment was stored first, and knows the agent.
    expect(trace.name).toBe("POST /api/agents/:id/chat");
    expect(trace.agent_id).toBe(agentId);
    expect(trace.conversation_id).toMatch(/^conv_/);
  });
});

describe("queue messages", () => {
  it("carry the sender's trace to the consumer", async () => {
    const caller = await signedInUser();
    const kb = await createKb(caller);
    const send = vi.spyOn(env.INGEST_QUEUE, "send");
    const traceId = newTraceId();
    const upload = await uploadJson(caller, kb.id, { name: "lift.md", content: "Lift opposes weight." });
    expect(upload.status).toBe(202);
    // The upload above ran untraced by us; this one is the request under test.
    const res = await SELF.fetch(`${BASE}/api/knowledge-bases/${kb.id}/documents`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${caller.token}`,
        "Content-Type": "application/json",
        traceparent: traceparent(traceId),
      },
      body: JSON.stringify({ name: "drag.md", content: "Drag opposes thrust." }),
    });
    expect(res.status).toBe(202);
    const { spans } = await storedTrace(traceId, (s) => s.some((x) => x.kind === "producer"));
    const producer = spans.find((s) => s.kind === "producer");
    expect(producer?.attributes).toMatchObject({ "messaging.system": "cloudflare_queues" });
    const message = send.mock.calls
      .map(([body]) => body as { traceparent?: string })
      .find((b) => b.traceparent?.includes(traceId));
    expect(message?.traceparent).toBe(`00-${traceId}-${producer?.span_id}-01`);

    // The consumer, as the runtime calls it, continues that trace.
    const ctx = createExecutionContext();
    const batch = {
      queue: "liquid-hive-ingest",
      messages: [{ id: "m1", timestamp: new Date(), attempts: 1, body: message, ack: () => {}, retry: () => {} }],
      ackAll: () => {},
      retryAll: () => {},
    } as unknown as MessageBatch<unknown>;
    await handleQueue(batch, env, ctx);
    await waitOnExecutionContext(ctx);
    const after = await storedTrace(traceId, (s) => s.some((x) => x.kind === "consumer"));
    const consumer = after.spans.find((s) => s.kind === "consumer");
    expect(consumer).toMatchObject({ name: "process liquid-hive-ingest", parent_span_id: producer?.span_id });
    expect(after.spans.some((s) => s.name.startsWith("D1 ") && s.parent_span_id === consumer?.span_id)).toBe(true);
  });
});

describe("outgoing fetches", () => {
  it("send the active traceparent to an OpenAI-compatible model server and http_get targets", async () => {
    const headers: Headers[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      headers.push(new Request(input, init).headers);
      return new Response("data: [DONE]\n\n", { headers: { "Content-Type": "text/plain" } });
    };
    let spanId = "";
    const { segment, result } = runSegment("test", "internal", undefined, undefined, async (span) => {
      spanId = span.context.spanId;
      const model = new OpenAiCompatibleModel({ baseUrl: "http://model.test/v1", model: "m", fetch });
      for await (const _ of model.stream({ messages: [{ role: "user", content: "hi" }] })) {
        // drained
      }
      await guardedFetch("https://docs.example.com/a", {
        caller: "test",
        allowlist: ["docs.example.com"],
        fetch,
        maxBytes: 1000,
        timeoutMs: 1000,
      });
    });
    await result;
    expect(headers).toHaveLength(2);
    for (const h of headers)
      expect(h.get("traceparent")).toMatch(new RegExp(`^00-${segment.context.traceId}-[0-9a-f]{16}-0[01]$`));
    expect(headers[0]?.get("traceparent")).toContain(spanId);
  });
});
