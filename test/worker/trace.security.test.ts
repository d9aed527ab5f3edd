// What traces must never hold: a value from the request (query, body, SQL parameters), a prompt
// or an answer unless content capture is on, and the collector's headers (they carry its key).
import { describe, expect, it } from "vitest";
import { fetchWith } from "./helpers/faulty-env";
import { adminToken, api } from "./helpers/harness";
import { newTraceId, storedTrace, tracedChat, traceparent } from "./helpers/traces";

describe("trace content", () => {
  it("never records a value from the request: not the query, not the SQL's parameters", async () => {
    const traceId = newTraceId();
    const email = "literal-probe-7f3a@example.test";
    const password = "literal-password-9c1e-value";
    const res = await api("POST", "/api/auth/token?secret_hint=query-literal-5d2b", {
      body: { email, password },
      headers: { traceparent: traceparent(traceId) },
    });
    expect(res.status).toBe(401);
    const { spans } = await storedTrace(traceId, (s) => s.some((x) => x.name.startsWith("D1 SELECT")));
    const stored = JSON.stringify(spans);
    for (const literal of [email, password, "query-literal-5d2b", "literal-probe"])
      expect(stored).not.toContain(literal);
    expect(stored).not.toMatch(/select .* from/i);
    // A client's mistake is its answer, not a failed span.
    expect(spans.every((s) => s.status !== "error")).toBe(true);
  });

  it("holds no prompt or answer while content capture is off (the default)", async () => {
    const { traceId, answer } = await tracedChat("my locker code is prompt-literal-4e8f");
    expect(answer.length).toBeGreaterThan(0);
    const { trace, spans } = await storedTrace(traceId, (s) =>
      s.some((x) => x.name === "ConversationAgent/chat" && x.kind === "server"),
    );
    const stored = JSON.stringify({ trace, spans });
    expect(stored).not.toContain("prompt-literal-4e8f");
    expect(stored).not.toContain("locker code");
  });
});

describe("collector headers", () => {
  it("are a secret in the configuration view", async () => {
    const res = await fetchWith(
      {
        OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=collector-secret-77aa",
        OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example.com",
      } as Partial<Env>,
      "GET",
      "/api/admin/config",
      { token: await adminToken() },
    );
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).toContain("OTEL_EXPORTER_OTLP_HEADERS");
    expect(text).toContain("https://otel.example.com");
    expect(text).not.toContain("collector-secret-77aa");
  });
});
