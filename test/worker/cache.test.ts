// The response cache, exercised on a small app with the real middleware and a stand-in
// principal; the end-to-end check through /api/agents lives with the agents tests.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { responseCache } from "../../worker/cache/middleware";
import { getConfig } from "../../worker/core/config";
import type { HonoEnv } from "../../worker/core/env";
import type { Principal } from "../../worker/core/principal";

function appFor(vars: Record<string, string> = {}) {
  const appEnv = { ...env, ...vars };
  const store = new Map<string, string[]>();
  const app = new Hono<HonoEnv>();
  app.use("*", async (c, next) => {
    const [ws, user] = (c.req.header("X-Test-Principal") ?? "").split("/");
    const principal: Principal =
      ws && user
        ? {
            kind: "user",
            userId: user,
            email: `${user}@x.test`,
            workspaceId: ws,
            role: "admin",
            platformAdmin: false,
            scopes: [],
            credentialId: "ses_1",
            via: "session",
          }
        : { kind: "anonymous" };
    c.set("principal", principal);
    c.set("config", getConfig(appEnv));
    await next();
  });
  app.use(
    "*",
    responseCache(() => true),
  );
  app.get("/api/agents", (c) => {
    const p = c.var.principal;
    const ws = p.kind === "anonymous" ? "-" : p.workspaceId;
    return c.json({ workspace: ws, agents: store.get(ws) ?? [] });
  });
  app.post("/api/agents", async (c) => {
    const p = c.var.principal;
    const ws = p.kind === "anonymous" ? "-" : p.workspaceId;
    store.set(ws, [...(store.get(ws) ?? []), (await c.req.json<{ name: string }>()).name]);
    return c.json({ ok: true }, 201);
  });
  return { app, store, appEnv };
}

async function call(
  app: Hono<HonoEnv>,
  method: string,
  principal: string,
  body?: unknown,
  headers: Record<string, string> = {},
  appEnv: object = env,
) {
  const ctx = createExecutionContext();
  const res = await app.request(
    "/api/agents",
    {
      method,
      headers: { "X-Test-Principal": principal, "content-type": "application/json", ...headers },
      body: body ? JSON.stringify(body) : undefined,
    },
    appEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return {
    status: res.status,
    cache: res.headers.get("X-Cache"),
    body: await res.json<{ workspace: string; agents: string[] }>(),
  };
}

describe("response cache", () => {
  it("serves a repeated read from cache and never across tenants", async () => {
    const { app, store } = appFor();
    store.set("ws_a", ["alpha"]);
    store.set("ws_b", ["bravo"]);
    expect(await call(app, "GET", "ws_a/u1")).toMatchObject({ cache: "MISS", body: { agents: ["alpha"] } });
    expect(await call(app, "GET", "ws_a/u1")).toMatchObject({ cache: "HIT", body: { agents: ["alpha"] } });
    // Same path, other tenant: its own body, never tenant A's cached one.
    expect(await call(app, "GET", "ws_b/u2")).toMatchObject({
      cache: "MISS",
      body: { workspace: "ws_b", agents: ["bravo"] },
    });
    expect(await call(app, "GET", "ws_b/u2")).toMatchObject({
      cache: "HIT",
      body: { workspace: "ws_b", agents: ["bravo"] },
    });
    // Same tenant, other principal: its own entry.
    expect((await call(app, "GET", "ws_a/u3")).cache).toBe("MISS");
  });

  it("invalidates the cached read on a write to the resource", async () => {
    const { app } = appFor();
    expect((await call(app, "GET", "ws_c/u1")).body.agents).toEqual([]);
    expect((await call(app, "GET", "ws_c/u1")).cache).toBe("HIT");
    expect((await call(app, "POST", "ws_c/u1", { name: "new" })).status).toBe(201);
    const after = await call(app, "GET", "ws_c/u1");
    expect(after).toMatchObject({ cache: "MISS", body: { agents: ["new"] } });
    // A write in one workspace leaves another workspace's cache alone.
    await call(app, "GET", "ws_d/u1");
    await call(app, "POST", "ws_c/u1", { name: "newer" });
    expect((await call(app, "GET", "ws_d/u1")).cache).toBe("HIT");
  });

  it("bypasses on Cache-Control: no-cache and for anonymous callers", async () => {
    const { app } = appFor();
    await call(app, "GET", "ws_e/u1");
    expect((await call(app, "GET", "ws_e/u1", undefined, { "Cache-Control": "no-cache" })).cache).toBe("BYPASS");
    expect((await call(app, "GET", "")).cache).toBeNull();
  });

  it("keeps hits in memory for CACHE_MEMORY_TTL_SECONDS: another isolate's write is seen within it, at once with 0", async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Another isolate's write is a new generation in KV that this isolate did not make.
    const writeElsewhere = (ws: string) => env.CACHE.put(`rc:gen:${ws}:agents`, `elsewhere-${Math.random()}`);

    const short = appFor({ CACHE_MEMORY_TTL_SECONDS: "1" });
    expect((await call(short.app, "GET", "ws_m/u1", undefined, {}, short.appEnv)).cache).toBe("MISS");
    expect((await call(short.app, "GET", "ws_m/u1", undefined, {}, short.appEnv)).cache).toBe("HIT");
    await writeElsewhere("ws_m");
    expect((await call(short.app, "GET", "ws_m/u1", undefined, {}, short.appEnv)).cache).toBe("HIT");
    await sleep(1100);
    expect((await call(short.app, "GET", "ws_m/u1", undefined, {}, short.appEnv)).cache).toBe("MISS");

    const off = appFor({ CACHE_MEMORY_TTL_SECONDS: "0" });
    expect((await call(off.app, "GET", "ws_n/u1", undefined, {}, off.appEnv)).cache).toBe("MISS");
    expect((await call(off.app, "GET", "ws_n/u1", undefined, {}, off.appEnv)).cache).toBe("HIT");
    await writeElsewhere("ws_n");
    expect((await call(off.app, "GET", "ws_n/u1", undefined, {}, off.appEnv)).cache).toBe("MISS");
  });

  it("treats a failing KV as a cache miss: reads answer from the route, writes still succeed", async () => {
    const { app, store } = appFor();
    store.set("ws_kv", ["kept"]);
    const fail = () => Promise.reject(new Error("KV GET failed: 503 Service Unavailable"));
    const broken = { ...env, CACHE: { get: fail, put: fail } as unknown as KVNamespace };
    const read = await call(app, "GET", "ws_kv/u1", undefined, {}, broken);
    expect(read).toMatchObject({ status: 200, cache: "BYPASS", body: { agents: ["kept"] } });
    expect((await call(app, "POST", "ws_kv/u1", { name: "added" }, {}, broken)).status).toBe(201);
    const after = await call(app, "GET", "ws_kv/u1", undefined, {}, broken);
    expect(after.status).toBe(200);
    expect(after.body.agents).toEqual(["kept", "added"]);
  });
});
