import { env, SELF } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../worker/app";
import { adminToken } from "./helpers/harness";

afterEach(() => vi.restoreAllMocks());

describe("health", () => {
  it("GET /health answers liveness", async () => {
    const res = await SELF.fetch("http://localhost/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", service: "liquid-hive", environment: "test" });
  });

  it("GET /ready checks D1, KV and a Durable Object round trip (with provider detail for a platform admin)", async () => {
    const res = await SELF.fetch("http://localhost/ready", {
      headers: { Authorization: `Bearer ${await adminToken()}` },
    });
    expect(res.status).toBe(200);
    const body = await res.json<{ status: string; checks: Record<string, { ok: boolean }>; providers: unknown }>();
    expect(body.status).toBe("ready");
    expect(Object.keys(body.checks).sort()).toEqual(["d1", "durable_objects", "kv"]);
    expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
    // Offline by default: the built-in model (degraded) and local embedder.
    expect(body).toMatchObject({
      providers: { model: "offline", degraded: true, embedder: expect.any(String), breakers: expect.any(Array) },
    });
  });
});

describe("http hygiene", () => {
  it("sets secure headers on API answers", async () => {
    const res = await SELF.fetch("http://localhost/health");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    expect(res.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
    expect(res.headers.get("Strict-Transport-Security")).toContain("max-age");
  });

  it("answers CORS only for origins in the allowlist", async () => {
    const allowed = await SELF.fetch("http://localhost/health", { headers: { Origin: "http://localhost:8787" } });
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe("http://localhost:8787");
    expect(allowed.headers.get("Access-Control-Allow-Credentials")).toBe("true");

    const denied = await SELF.fetch("http://localhost/health", { headers: { Origin: "https://evil.example" } });
    expect(denied.headers.get("Access-Control-Allow-Origin")).toBeNull();

    const preflight = await SELF.fetch("http://localhost/health", {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:8787", "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toContain("GET");
  });

  it("writes one structured JSON log line per request with the route pattern", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    vi.spyOn(console, "warn").mockImplementation((line: unknown) => void lines.push(String(line)));
    // The test config logs at "warn"; this request runs with LOG_LEVEL=info.
    const res = await createApp().request(
      "/health",
      { headers: { "X-Request-Id": "log-test-1" } },
      { ...env, LOG_LEVEL: "info" },
    );
    expect(res.status).toBe(200);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.event === "request");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: "info",
      method: "GET",
      route: "/health",
      status: 200,
      request_id: "log-test-1",
      user: null,
    });
    expect(typeof entries[0]?.duration_ms).toBe("number");
  });
});

describe("OpenAPI", () => {
  it("serves a document generated from the route schemas", async () => {
    const res = await SELF.fetch("http://localhost/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    }>();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/health"]?.get).toBeDefined();
    expect(doc.paths["/ready"]?.get).toBeDefined();
    expect(doc.components.schemas.Error).toBeDefined();
  });

  it("serves a readable docs page rendered from the document", async () => {
    const res = await SELF.fetch("http://localhost/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("Liquid Hive API");
    expect(html).toContain("/ready");
    expect(html).not.toContain("<script");
  });
});
