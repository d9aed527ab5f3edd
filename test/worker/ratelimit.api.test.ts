import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { apiKey, createUser, newUserAccess, token } from "./helpers/harness";

const app = createApp();

async function get(path: string, key: string, limits: string) {
  const ctx = createExecutionContext();
  const res = await app.request(
    path,
    { headers: { Authorization: `Bearer ${key}` } },
    { ...env, RATE_LIMITS: limits },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe("rate limits per API key", () => {
  it("admits exactly 50 of 200 concurrent requests on one key, and other keys are unaffected", async () => {
    const t = await newUserAccess();
    const [a, b] = await Promise.all([apiKey(t, ["admin"]), apiKey(t, ["admin"])]);
    const results = await Promise.all(Array.from({ length: 200 }, () => get("/api/keys", a.key, "read=50/60")));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(150);
    const limited = results.find((r) => r.status === 429) as Response;
    expect(limited.headers.get("RateLimit-Limit")).toBe("50");
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);

    const other = await get("/api/keys", b.key, "read=50/60");
    expect(other.status).toBe(200);
    expect(other.headers.get("RateLimit-Remaining")).toBe("49");
  }, 60_000);

  it("applies a workspace's own policy from KV", async () => {
    const u = await createUser();
    const t = (await token(u.email, u.password)).access_token;
    await env.CACHE.put(`rl:policy:${u.personalWorkspaceId}`, "read=2/60");
    const k = await apiKey(t, ["admin"]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get("/api/keys", k.key, "read=1000/60")).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe("workspace token budget for chat", () => {
  it("answers 429 once the workspace has used its model tokens for the window", async () => {
    const t = await newUserAccess();
    const created = await app.request(
      "/api/agents",
      {
        method: "POST",
        headers: { Authorization: `Bearer ${t}`, "Content-Type": "application/json" },
        body: JSON.stringify({ name: "Budgeted" }),
      },
      env,
    );
    const agent = await created.json<{ id: string }>();
    const limits = { ...env, RATE_LIMITS: "chat_tokens=5/60" };
    const send = async () => {
      const ctx = createExecutionContext();
      const res = await app.request(
        `/api/agents/${agent.id}/chat`,
        {
          method: "POST",
          headers: { Authorization: `Bearer ${t}`, "Content-Type": "application/json" },
          body: JSON.stringify({ message: "Tell me something long enough to use more than five tokens." }),
        },
        limits,
        ctx,
      );
      const body = await res.text();
      await waitOnExecutionContext(ctx);
      return { status: res.status, body, headers: res.headers };
    };
    expect((await send()).status).toBe(200);
    const second = await send();
    expect(second.status).toBe(429);
    expect(second.body).toContain("model tokens");
    expect(Number(second.headers.get("Retry-After"))).toBeGreaterThan(0);
  }, 60_000);
});
