import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import type { ErrorEnvelope } from "../../worker/core/errors";
import { parsePolicy, routeClass } from "../../worker/ratelimit/policy";

const app = createApp();

describe("rate limiting by route class", () => {
  it("limits anonymous reads per IP with RateLimit headers and a 429 envelope with Retry-After", async () => {
    const limited = { ...env, RATE_LIMITS: "read=3/60" };
    const get = (ip: string) => app.request("/api/openapi.json", { headers: { "CF-Connecting-IP": ip } }, limited);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await get("203.0.113.7");
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get("RateLimit-Limit")).toBe("3");
        expect(last.headers.get("RateLimit-Remaining")).toBe("2");
        expect(Number(last.headers.get("RateLimit-Reset"))).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const res = last as Response;
    expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(res.headers.get("RateLimit-Remaining")).toBe("0");
    const body = await res.json<ErrorEnvelope>();
    expect(body.error.code).toBe("RATE_LIMITED");
    expect(body.error.details.retry_after_seconds).toBeGreaterThan(0);

    // Another address has its own window.
    expect((await get("198.51.100.9")).status).toBe(200);
  });

  it("never limits the health probes", async () => {
    const limited = { ...env, RATE_LIMITS: "read=1/60" };
    for (let i = 0; i < 5; i++) {
      const res = await app.request("/health", { headers: { "CF-Connecting-IP": "203.0.113.50" } }, limited);
      expect(res.status).toBe(200);
      expect(res.headers.get("RateLimit-Limit")).toBeNull();
    }
  });

  it("classifies routes and parses policy overrides", () => {
    expect(routeClass("POST", "/api/auth/login")).toBe("auth");
    expect(routeClass("POST", "/v1/chat/completions")).toBe("chat");
    expect(routeClass("GET", "/api/agents")).toBe("read");
    expect(routeClass("DELETE", "/api/agents/:id")).toBe("write");
    expect(routeClass("GET", "/health")).toBeNull();
    const p = parsePolicy("read=50/10, chat_tokens=1000/60,bogus=1/1");
    expect(p.read).toEqual({ limit: 50, windowMs: 10_000 });
    expect(p.chat_tokens).toEqual({ limit: 1000, windowMs: 60_000 });
    expect(p.write.limit).toBe(120);
  });
});
