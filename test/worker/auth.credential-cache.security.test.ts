// The credential cache (worker/auth/credential-cache.ts): an isolate reuses a resolved API key
// or access token for AUTH_CACHE_TTL_SECONDS, yet revoking, disabling or removing through the
// API holds on the very next request, a key never outlives its expiry, and a change this
// isolate did not make (another isolate's write, simulated in D1) is seen within the TTL.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import type { MeResponse } from "../../worker/auth/schemas";
import {
  adminToken,
  api,
  apiKey,
  createTeam,
  createUser,
  type ErrorBody,
  expectStatus,
  newUserAccess,
  token,
} from "./helpers/harness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("credential cache", () => {
  it("stops a revoked key on the next request although the key was just cached", async () => {
    const t = await newUserAccess();
    const key = await apiKey(t, ["agents:read"]);
    for (let i = 0; i < 3; i++) await expectStatus(200, "GET", "/api/agents", { token: key.key });
    await expectStatus(204, "DELETE", `/api/keys/${key.id}`, { token: t });
    const res = await api<ErrorBody>("GET", "/api/agents", { token: key.key });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHENTICATED");
  });

  it("ends a disabled user's keys and access tokens at once", async () => {
    const u = await createUser();
    const t = (await token(u.email, u.password)).access_token;
    const key = await apiKey(t, ["agents:read"]);
    await expectStatus(200, "GET", "/api/auth/me", { token: key.key });
    await expectStatus(200, "GET", "/api/auth/me", { token: t });
    await expectStatus(200, "PATCH", `/api/users/${u.id}`, { token: await adminToken(), body: { disabled: true } });
    expect((await api("GET", "/api/auth/me", { token: key.key })).status).toBe(401);
    expect((await api("GET", "/api/auth/me", { token: t })).status).toBe(401);
  });

  it("follows a member's removal and role change at once", async () => {
    const team = await createTeam();
    await expectStatus<MeResponse>(200, "GET", "/api/auth/me", { token: team.user.token });
    await expectStatus(204, "DELETE", `/api/workspaces/${team.workspaceId}/members/${team.user.id}`, {
      token: team.admin.token,
    });
    expect((await api("GET", "/api/auth/me", { token: team.user.token })).status).toBe(401);
  });

  it("never serves a key past its own expiry", async () => {
    const t = await newUserAccess();
    const key = await apiKey(t, ["agents:read"], { expiresAt: new Date(Date.now() + 1500).toISOString() });
    await expectStatus(200, "GET", "/api/auth/me", { token: key.key });
    await sleep(1600);
    expect((await api("GET", "/api/auth/me", { token: key.key })).status).toBe(401);
  });

  it("keeps a cached key to its own workspace", async () => {
    const team = await createTeam();
    const key = await apiKey(team.user.token, ["agents:read"]);
    await expectStatus(200, "GET", "/api/agents", { token: key.key });
    const other = await createUser();
    const res = await api<ErrorBody>("GET", "/api/agents", {
      token: key.key,
      headers: { "X-Workspace-Id": other.personalWorkspaceId },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
  });

  it("sees a revocation made elsewhere within the TTL, and at once with the cache off", async () => {
    const app = createApp();
    // One env object per setting: configuration (and with it the cache) is kept per env.
    const envs = new Map<string, typeof env>();
    const call = async (vars: { AUTH_CACHE_TTL_SECONDS: string }, bearer: string) => {
      const ctx = createExecutionContext();
      let withVars = envs.get(vars.AUTH_CACHE_TTL_SECONDS);
      if (!withVars) envs.set(vars.AUTH_CACHE_TTL_SECONDS, (withVars = { ...env, ...vars }));
      const res = await app.request("/api/auth/me", { headers: { Authorization: `Bearer ${bearer}` } }, withVars, ctx);
      await waitOnExecutionContext(ctx);
      return res.status;
    };
    const t = await newUserAccess();
    const revokeInD1 = (id: string) =>
      env.DB.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?").bind(Date.now(), id).run();

    // TTL 1 s: a write this isolate did not see is honoured once the entry lapses.
    const cachedKey = await apiKey(t, ["agents:read"]);
    expect(await call({ AUTH_CACHE_TTL_SECONDS: "1" }, cachedKey.key)).toBe(200);
    await revokeInD1(cachedKey.id);
    expect(await call({ AUTH_CACHE_TTL_SECONDS: "1" }, cachedKey.key)).toBe(200);
    await sleep(1100);
    expect(await call({ AUTH_CACHE_TTL_SECONDS: "1" }, cachedKey.key)).toBe(401);

    // TTL 0: every request is resolved in D1.
    const uncachedKey = await apiKey(t, ["agents:read"]);
    expect(await call({ AUTH_CACHE_TTL_SECONDS: "0" }, uncachedKey.key)).toBe(200);
    await revokeInD1(uncachedKey.id);
    expect(await call({ AUTH_CACHE_TTL_SECONDS: "0" }, uncachedKey.key)).toBe(401);
  });
});
