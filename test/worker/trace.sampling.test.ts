// What the tracer keeps and where it sends it: every trace with an error whatever the sample
// rate, ordinary ones at TRACE_SAMPLE_RATE, nothing with TRACING=off; and the OTLP/HTTP export
// (JSON encoding) as a collector receives and decodes it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAgent, parseSse } from "./helpers/chat";
import { faultyD1, fetchWith } from "./helpers/faulty-env";
import { adminToken } from "./helpers/harness";
import { isStored, newTraceId, PARENT_SPAN, type StoredSpan, storedTrace, traceparent } from "./helpers/traces";

afterEach(() => vi.restoreAllMocks());

const isModelCall = (s: StoredSpan) => s.name.startsWith("chat ") && s.kind === "client";
const vars = (v: Record<string, string>) => v as Partial<Env>;
const listAgents = async (bindings: Partial<Env>, headers: Record<string, string> = {}) =>
  fetchWith(bindings, "GET", "/api/agents", {
    token: await adminToken(),
    headers: { "Cache-Control": "no-cache", ...headers },
  });

describe("tail sampling", () => {
  it("drops an ordinary trace at rate 0 and keeps it at rate 1", async () => {
    const dropped = await listAgents(vars({ TRACE_SAMPLE_RATE: "0" }));
    expect(dropped.status).toBe(200);
    const kept = await listAgents(vars({ TRACE_SAMPLE_RATE: "1" }));
    expect(kept.status).toBe(200);
    // fetchWith waited for the flush: what is not stored now never will be.
    expect(await isStored(dropped.headers.get("X-Trace-Id") ?? "")).toBe(false);
    const { trace } = await storedTrace(kept.headers.get("X-Trace-Id") ?? "");
    expect(trace.kept_because).toBe("sampled");
  });

  it("keeps one ordinary trace in ten by default, in development too", async () => {
    // A new trace's draw is its id's first 32 bits against the rate (sampledByRate): one drawn
    // above 10% is dropped at the default rate; development used to keep every trace.
    const bindings = vars({ ENVIRONMENT: "development", TRACE_SLOW_MS: "600000" });
    const drawn = (traceId: string) => Number.parseInt(traceId.slice(0, 8), 16) / 0x1_0000_0000 < 0.1;
    let traceId = "";
    for (let i = 0; i < 20 && (traceId === "" || drawn(traceId)); i++) {
      const res = await listAgents(bindings);
      expect(res.status).toBe(200);
      traceId = res.headers.get("X-Trace-Id") ?? "";
    }
    expect(drawn(traceId)).toBe(false);
    expect(await isStored(traceId)).toBe(false);
  });

  it("keeps a failed request at rate 0, with the error on the span that failed", async () => {
    const db = faultyD1(/from "agents"/);
    const res = await listAgents({ DB: db, ...vars({ TRACE_SAMPLE_RATE: "0" }) });
    expect(res.status).toBe(503);
    expect(db.failures.length).toBeGreaterThan(0);
    const { trace, spans } = await storedTrace(res.headers.get("X-Trace-Id") ?? "");
    expect(trace).toMatchObject({ kept_because: "error", error: 1, status: 503 });
    const failed = spans.find((s) => s.name === "D1 SELECT agents");
    expect(failed).toMatchObject({ status: "error" });
    expect(failed?.status_message).toContain("D1_ERROR");
  });

  it("keeps a trace whose incoming traceparent says sampled, at rate 0", async () => {
    const traceId = newTraceId();
    await listAgents(vars({ TRACE_SAMPLE_RATE: "0" }), { traceparent: traceparent(traceId) });
    const unsampled = newTraceId();
    await listAgents(vars({ TRACE_SAMPLE_RATE: "0" }), { traceparent: traceparent(unsampled, false) });
    expect((await storedTrace(traceId)).trace.kept_because).toBe("sampled");
    expect(await isStored(unsampled)).toBe(false);
  });

  it("keeps a slow trace at rate 0", async () => {
    const res = await listAgents(vars({ TRACE_SAMPLE_RATE: "0", TRACE_SLOW_MS: "1" }));
    const { trace } = await storedTrace(res.headers.get("X-Trace-Id") ?? "");
    expect(trace.kept_because).toBe("slow");
  });

  it("keeps a degraded chat's whole trace at rate 0: request, Agent turn, model call with tokens, D1 writes", async () => {
    // The request's segment ends when the answer's headers go out, before the Agent knows the
    // answer is degraded (every offline answer is): it waits for the stream's done event to decide.
    const token = await adminToken();
    const agent = await createAgent(token);
    const res = await fetchWith(vars({ TRACE_SAMPLE_RATE: "0" }), "POST", `/api/agents/${agent.id}/chat`, {
      token,
      body: { message: "What is lift?" },
    });
    expect(res.status).toBe(200);
    expect(parseSse(String(res.body)).at(-1)).toMatchObject({ type: "done", degraded: true });
    const traceId = res.headers.get("X-Trace-Id") ?? "";
    const { trace, spans } = await storedTrace(
      traceId,
      (s) => s.some((x) => x.name === "ConversationAgent/chat" && x.kind === "server") && s.some(isModelCall),
    );
    const root = spans.find((s) => s.parent_span_id === null);
    expect(root).toMatchObject({ name: "POST /api/agents/:id/chat", kind: "server" });
    expect(trace).toMatchObject({ name: "POST /api/agents/:id/chat", kept_because: "degraded", status: 200 });
    expect(spans.find(isModelCall)?.attributes).toMatchObject({
      "gen_ai.provider.name": "offline",
      "liquid_hive.degraded": true,
    });
    expect(spans.find(isModelCall)?.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    expect(spans.some((s) => s.name.startsWith("D1 BATCH"))).toBe(true);
  });

  it("keeps a streamed /v1 completion's request with its model call at rate 0 when it is degraded", async () => {
    const token = await adminToken();
    const agent = await createAgent(token);
    const res = await fetchWith(vars({ TRACE_SAMPLE_RATE: "0" }), "POST", "/v1/chat/completions", {
      token,
      body: { model: agent.id, stream: true, messages: [{ role: "user", content: "What is lift?" }] },
    });
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain('"degraded":true');
    const { trace, spans } = await storedTrace(res.headers.get("X-Trace-Id") ?? "", (s) => s.some(isModelCall));
    expect(trace).toMatchObject({ name: "POST /v1/chat/completions", kept_because: "degraded" });
    expect(spans.find(isModelCall)?.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
  });

  it("records nothing with TRACING=off", async () => {
    const traceId = newTraceId();
    const res = await listAgents(vars({ TRACING: "off" }), { traceparent: traceparent(traceId) });
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Trace-Id")).toBeNull();
    expect(await isStored(traceId)).toBe(false);
  });

  it("refuses an invalid tracing configuration with the keys named", async () => {
    const res = await fetchWith(vars({ TRACE_SAMPLE_RATE: "2", TRACING: "maybe" }), "GET", "/health");
    expect(res.status).toBe(503);
    expect(JSON.stringify(res.body)).toContain("TRACE_SAMPLE_RATE");
    expect(JSON.stringify(res.body)).toContain("TRACING");
  });
});

interface OtlpValue {
  stringValue?: string;
  intValue?: string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: OtlpValue }[];
  status: { code: number };
}
interface OtlpRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

/** A traced GET /api/agents exported to the collector at `endpoint` with `headers`; its trace id. */
async function exported(endpoint: string, headers: string): Promise<string> {
  const traceId = newTraceId();
  const res = await listAgents(vars({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_HEADERS: headers }), {
    traceparent: traceparent(traceId),
  });
  expect(res.status).toBe(200);
  return traceId;
}

describe("OTLP/HTTP export", () => {
  it("POSTs kept spans as OTLP JSON to {endpoint}/v1/traces with the configured headers", async () => {
    const received: { url: string; headers: Headers; body: OtlpRequest }[] = [];
    const real = globalThis.fetch;
    // The collector: decodes what the exporter sends.
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      if (!request.url.startsWith("http://collector.test/")) return real(input, init);
      received.push({ url: request.url, headers: request.headers, body: (await request.json()) as OtlpRequest });
      return new Response("{}", { status: 200, headers: { "Content-Type": "application/json" } });
    });
    const traceId = await exported("http://collector.test/otlp/", "x-api-key=abc%20123, x-team = hive");
    expect(received).toHaveLength(1);
    const [sent] = received;
    expect(sent?.url).toBe("http://collector.test/otlp/v1/traces");
    expect(sent?.headers.get("x-api-key")).toBe("abc 123");
    expect(sent?.headers.get("x-team")).toBe("hive");
    expect(sent?.headers.get("Content-Type")).toBe("application/json");
    const resource = sent?.body.resourceSpans[0];
    expect(resource?.resource.attributes).toContainEqual({
      key: "service.name",
      value: { stringValue: "liquid-hive" },
    });
    const spans = resource?.scopeSpans[0]?.spans ?? [];
    expect(spans.length).toBeGreaterThan(2);
    const root = spans.find((s) => s.parentSpanId === PARENT_SPAN);
    expect(root).toMatchObject({ traceId, name: "GET /api/agents", kind: 2, status: { code: 0 } });
    expect(root?.attributes).toContainEqual({ key: "http.response.status_code", value: { intValue: "200" } });
    expect(root?.attributes).toContainEqual({ key: "http.route", value: { stringValue: "/api/agents" } });
    for (const span of spans) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.startTimeUnixNano).toMatch(/^\d{19}$/);
      expect(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano)).toBe(true);
      expect([1, 2, 3, 4, 5]).toContain(span.kind);
    }
    const d1 = spans.find((s) => s.name.startsWith("D1 "));
    expect(d1?.kind).toBe(3);
    expect(d1?.parentSpanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it("logs a collector's failure and still answers and stores the trace", async () => {
    const real = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) =>
      new Request(input, init).url.startsWith("http://collector.test/")
        ? new Response("down", { status: 503 })
        : real(input, init),
    );
    const warnings: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((line: unknown) => void warnings.push(String(line)));
    const traceId = await exported("http://collector.test", "x-api-key=s3cret-key");
    expect(warnings.some((w) => w.includes("otlp_export_failed"))).toBe(true);
    expect(warnings.join("\n")).not.toContain("s3cret-key");
    await storedTrace(traceId);
  });
});
