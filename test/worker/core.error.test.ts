import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import type { ErrorEnvelope } from "../../worker/core/errors";

const envelopeOf = (res: Response) => res.json<ErrorEnvelope>();

describe("error envelope", () => {
  it("answers an unknown route with the 404 envelope and a request id", async () => {
    const res = await SELF.fetch("http://localhost/nope");
    expect(res.status).toBe(404);
    const body = await envelopeOf(res);
    expect(body.error.code).toBe("NOT_FOUND");
    expect(body.error.request_id).toMatch(/^req_/);
    expect(Date.parse(body.error.timestamp)).not.toBeNaN();
    expect(body.error.details).toEqual({});
    expect(res.headers.get("X-Request-Id")).toBe(body.error.request_id);
    expect(res.headers.get("content-type")).toContain("application/json");
  });

  it("answers a known path with the wrong method with 405 and Allow", async () => {
    const res = await SELF.fetch("http://localhost/health", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toContain("GET");
    const body = await envelopeOf(res);
    expect(body.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(body.error.details.allowed).toContain("GET");
  });

  it("rejects a body over the configured limit with 413 before reading it", async () => {
    const big = "x".repeat(1024 * 1024 + 1);
    const res = await SELF.fetch("http://localhost/health", {
      method: "POST",
      body: big,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    const body = await envelopeOf(res);
    expect(body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.error.details.limit_bytes).toBe(1024 * 1024);
  });

  it("turns failing dependencies into a 503 that names them, without internals", async () => {
    const app = createApp();
    const res = await app.request(
      "/ready",
      {},
      { ...env, DB: undefined as unknown as D1Database, CACHE: undefined as unknown as KVNamespace },
    );
    expect(res.status).toBe(503);
    const body = await envelopeOf(res);
    expect(body.error.code).toBe("UNAVAILABLE");
    expect(body.error.details.failed).toEqual(["d1", "kv"]);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it("answers 503 naming the configuration keys when the configuration is invalid", async () => {
    const app = createApp();
    const res = await app.request("/health", {}, { ...env, LOG_LEVEL: "loud", MAX_BODY_BYTES: "-5" });
    expect(res.status).toBe(503);
    const body = await envelopeOf(res);
    expect(body.error.details.keys).toEqual(expect.arrayContaining(["LOG_LEVEL", "MAX_BODY_BYTES"]));
    expect(JSON.stringify(body)).not.toContain("test-pepper");
  });
});

describe("request ids", () => {
  it("accepts a well-formed caller id and echoes it", async () => {
    const res = await SELF.fetch("http://localhost/health", { headers: { "X-Request-Id": "caller-123_abc" } });
    expect(res.headers.get("X-Request-Id")).toBe("caller-123_abc");
  });

  it("replaces a malformed or oversized caller id with a generated one", async () => {
    for (const bad of ["has spaces in it", "<script>", "a".repeat(200)]) {
      const res = await SELF.fetch("http://localhost/nope", { headers: { "X-Request-Id": bad } });
      const id = res.headers.get("X-Request-Id");
      expect(id).toMatch(/^req_[0-9A-Za-z]{20}$/);
      expect((await envelopeOf(res)).error.request_id).toBe(id);
    }
  });
});

describe("unknown paths outside the API", () => {
  it("answers API clients with the 404 envelope and browser navigations with the dashboard", async () => {
    const app = createApp();
    const curl = await app.request("/nope", { headers: { Accept: "*/*" } }, env);
    expect(curl.status).toBe(404);
    expect((await envelopeOf(curl)).error.code).toBe("NOT_FOUND");

    const browser = await app.request("/agents", { headers: { Accept: "text/html,application/xhtml+xml" } }, env);
    expect(browser.status).toBe(200);
    // The built dashboard's index.html, with its own policy (web/public/_headers): its scripts must be allowed to run, unlike anything in an API answer.
    expect(await browser.text()).toBe(await (await env.ASSETS.fetch("http://localhost/")).text());
    expect(browser.headers.get("content-security-policy")).toMatch(/^default-src 'self';/);

    // API paths stay JSON even for a browser.
    const api = await app.request("/api/nope", { headers: { Accept: "text/html" } }, env);
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toContain("application/json");
  });
});
