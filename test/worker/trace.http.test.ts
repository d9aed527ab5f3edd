// The HTTP request as a trace: W3C traceparent continued (a malformed one starts a new trace),
// X-Trace-Id on every answer, the request's spans stored with their parent links (middleware
// phases, D1 statements named without their SQL) and every log line carrying its trace.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchWith } from "./helpers/faulty-env";
import { adminToken, api, DASHBOARD_ORIGIN, type ErrorBody } from "./helpers/harness";
import { newTraceId, PARENT_SPAN, storedTrace, traceparent } from "./helpers/traces";

afterEach(() => vi.restoreAllMocks());

const HEX32 = /^[0-9a-f]{32}$/;

describe("trace context over HTTP", () => {
  it("continues an incoming traceparent and answers with its trace id", async () => {
    const traceId = newTraceId();
    const res = await api("GET", "/api/agents", {
      token: await adminToken(),
      headers: { traceparent: traceparent(traceId), tracestate: "vendor=abc" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Trace-Id")).toBe(traceId);
    const { trace, spans } = await storedTrace(traceId);
    const root = spans.find((s) => s.parent_span_id === PARENT_SPAN);
    expect(root).toMatchObject({ name: "GET /api/agents", kind: "server", status: "unset" });
    expect(root?.attributes).toMatchObject({
      "http.request.method": "GET",
      "http.route": "/api/agents",
      "http.response.status_code": 200,
      "url.path": "/api/agents",
    });
    expect(trace).toMatchObject({ name: "GET /api/agents", route: "/api/agents", status: 200, error: 0 });
    expect(trace.kept_because).toBe("sampled");
    expect(trace.workspace_id).toMatch(/^ws_/);
    expect(trace.span_count).toBe(spans.length);
  });

  it("starts a new trace when the traceparent is malformed", async () => {
    const bad = ["00-zzzz-00f067aa0ba902b7-01", `00-${"0".repeat(32)}-00f067aa0ba902b7-01`, "garbage"];
    for (const header of bad) {
      const res = await api("GET", "/health", { headers: { traceparent: header } });
      expect(res.status).toBe(200);
      const id = res.headers.get("X-Trace-Id") ?? "";
      expect(id).toMatch(HEX32);
      expect(header).not.toContain(id);
    }
  });

  it("answers error envelopes with X-Trace-Id and exposes it to the dashboard's origin", async () => {
    const unauthorized = await api<ErrorBody>("GET", "/api/agents");
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body.error.code).toBeTruthy();
    expect(unauthorized.headers.get("X-Trace-Id")).toMatch(HEX32);
    const missing = await api<ErrorBody>("GET", "/api/no-such-route", { token: await adminToken() });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("X-Trace-Id")).toMatch(HEX32);
    const cors = await api("GET", "/health", { headers: { Origin: DASHBOARD_ORIGIN } });
    expect(cors.headers.get("Access-Control-Expose-Headers")).toContain("X-Trace-Id");
  });
});

describe("a request's stored spans", () => {
  it("links the middleware phases and D1 statements to the request span", async () => {
    const traceId = newTraceId();
    await api("GET", "/api/agents", {
      token: await adminToken(),
      headers: { traceparent: traceparent(traceId), "Cache-Control": "no-cache" },
    });
    const { spans } = await storedTrace(traceId);
    const root = spans.find((s) => s.parent_span_id === PARENT_SPAN);
    const child = (name: string) => spans.find((s) => s.name === name && s.parent_span_id === root?.span_id);
    expect(child("auth")).toBeDefined();
    expect(child("rate limit")).toBeDefined();
    expect(child("cache")).toBeDefined();
    const d1 = spans.filter((s) => s.name.startsWith("D1 "));
    expect(d1.length).toBeGreaterThan(0);
    for (const span of d1) {
      expect(span.name).toMatch(/^D1 (SELECT|INSERT|UPDATE|DELETE|BATCH)( \w+)?$/);
      expect(span.kind).toBe("client");
      expect(span.attributes["db.system"]).toBe("cloudflare_d1");
      expect(span.attributes["db.operation.name"]).toBeTruthy();
    }
    expect(d1.some((s) => s.attributes["db.collection.name"] === "agents")).toBe(true);
    // Every span descends from the request's root.
    const ids = new Set(spans.map((s) => s.span_id));
    for (const span of spans) if (span !== root) expect(ids.has(span.parent_span_id ?? "")).toBe(true);
  });
});

describe("log lines", () => {
  it("carry the trace and span they were written in", async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(String(args[0]));
    vi.spyOn(console, "log").mockImplementation(capture);
    vi.spyOn(console, "warn").mockImplementation(capture);
    const res = await fetchWith({ LOG_LEVEL: "info" } as Partial<Env>, "GET", "/health");
    const traceId = res.headers.get("X-Trace-Id");
    const request = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.event === "request" && l.path === "/health");
    expect(request).toBeDefined();
    expect(request?.trace_id).toBe(traceId);
    expect(request?.span_id).toMatch(/^[0-9a-f]{16}$/);
  });
});
