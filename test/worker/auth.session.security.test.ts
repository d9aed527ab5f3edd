// Dashboard sessions: CSRF defence for cookie writes, rotation at login, revocation at
// logout and password change, and stale cookies on public routes.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Workspace } from "../../worker/workspaces/schemas";
import {
  api,
  BASE,
  createUser,
  DASHBOARD_ORIGIN,
  type ErrorBody,
  expectStatus,
  login,
  sessionCookieFrom,
  setCookies,
  type TestUser,
  token,
} from "./helpers/harness";

/** A raw request, so a test controls exactly which headers are (not) sent. */
async function raw(method: string, path: string, headers: Record<string, string>, body?: string) {
  const res = await SELF.fetch(`${BASE}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: res.status, body: await res.json<ErrorBody & Workspace>(), headers: res.headers };
}

describe("CSRF defence for cookie-authenticated writes", () => {
  let cookie: string;
  let bearer: string;
  beforeAll(async () => {
    const u = await createUser();
    cookie = await login(u.email, u.password);
    bearer = (await token(u.email, u.password)).access_token;
  });
  const json = JSON.stringify({ name: "CSRF probe" });

  it("refuses a cookie POST without Origin or Referer", async () => {
    const res = await raw("POST", "/api/workspaces", { Cookie: cookie, "Content-Type": "application/json" }, json);
    expect(res.status).toBe(403);
    expect(res.body.error.details).toEqual({ reason: "origin" });
  });

  it("refuses a cookie POST from a foreign origin", async () => {
    const res = await raw(
      "POST",
      "/api/workspaces",
      { Cookie: cookie, "Content-Type": "application/json", Origin: "https://evil.example" },
      json,
    );
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
  });

  it("refuses a form-encoded cookie POST even from the dashboard origin", async () => {
    for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"]) {
      const res = await raw(
        "POST",
        "/api/workspaces",
        { Cookie: cookie, "Content-Type": type, Origin: DASHBOARD_ORIGIN },
        "name=CSRF",
      );
      expect(res.status, type).toBe(403);
      expect(res.body.error.details).toEqual({ reason: "content_type" });
    }
  });

  it("refuses a cookie DELETE from a foreign Referer", async () => {
    const res = await raw("DELETE", "/api/keys/key_anything", {
      Cookie: cookie,
      "Content-Type": "application/json",
      Referer: "https://evil.example/page",
    });
    expect(res.status).toBe(403);
  });

  it("accepts JSON from the dashboard origin, or with a same-origin Referer", async () => {
    const byOrigin = await raw(
      "POST",
      "/api/workspaces",
      { Cookie: cookie, "Content-Type": "application/json", Origin: DASHBOARD_ORIGIN },
      json,
    );
    expect(byOrigin.status).toBe(201);
    const byReferer = await raw(
      "POST",
      "/api/workspaces",
      { Cookie: cookie, "Content-Type": "application/json", Referer: `${DASHBOARD_ORIGIN}/workspaces` },
      json,
    );
    expect(byReferer.status).toBe(201);
  });

  it("does not apply to bearer-authenticated requests", async () => {
    const res = await raw(
      "POST",
      "/api/workspaces",
      { Authorization: `Bearer ${bearer}`, "Content-Type": "application/json", Origin: "https://tool.example" },
      json,
    );
    expect(res.status).toBe(201);
  });

  it("leaves cookie GETs alone", async () => {
    const res = await raw("GET", "/api/auth/me", { Cookie: cookie, Origin: "https://evil.example" });
    expect(res.status).toBe(200);
  });

  it("refuses a cross-site login attempt (login CSRF)", async () => {
    const res = await raw(
      "POST",
      "/api/auth/login",
      { "Content-Type": "application/json", Origin: "https://evil.example" },
      JSON.stringify({ email: "a@b.test", password: "x" }),
    );
    expect(res.status).toBe(403);
  });
});

describe("session lifecycle", () => {
  let u: TestUser;
  beforeAll(async () => {
    u = await createUser();
  });

  it("stores only a hash of the 32-byte cookie value", async () => {
    const cookie = await login(u.email, u.password);
    const value = cookie.split("=")[1] ?? "";
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await env.DB.prepare("SELECT token_hash FROM sessions WHERE token_hash = ? OR id = ?")
      .bind(value, value)
      .all();
    expect(rows.results).toHaveLength(0);
  });

  it("rotates the session at login: the cookie the browser had stops working", async () => {
    const first = await login(u.email, u.password);
    const res = await api("POST", "/api/auth/login", { cookie: first, body: { email: u.email, password: u.password } });
    expect(res.status).toBe(200);
    const second = sessionCookieFrom(res.headers);
    expect(second).not.toBe(first);
    expect((await api("GET", "/api/auth/me", { cookie: first })).status).toBe(401);
    expect((await api("GET", "/api/auth/me", { cookie: second })).status).toBe(200);
  });

  it("revokes the session at logout and clears the cookie", async () => {
    const cookie = await login(u.email, u.password);
    const res = await api("POST", "/api/auth/logout", { cookie });
    expect(res.status).toBe(204);
    expect(setCookies(res.headers).join(";")).toMatch(/__Host-lh_session=;.*Max-Age=0/);
    expect((await api("GET", "/api/auth/me", { cookie })).status).toBe(401);
  });

  it("lets a stale cookie through on public routes but not on protected ones", async () => {
    const stale = "__Host-lh_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const health = await api("GET", "/health", { cookie: stale });
    expect(health.status).toBe(200);
    expect(setCookies(health.headers).join(";")).toMatch(/__Host-lh_session=;/);
    const loginRes = await api("POST", "/api/auth/login", {
      cookie: stale,
      body: { email: u.email, password: u.password },
    });
    expect(loginRes.status).toBe(200);
    const me = await api<ErrorBody>("GET", "/api/auth/me", { cookie: stale });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe("UNAUTHENTICATED");
  });

  it("ends a session after 7 idle days or 30 days in all, and slides the idle expiry on use", async () => {
    const day = 24 * 3600 * 1000;
    const sessionOf = async (cookie: string) => {
      const list = await expectStatus<{ data: { id: string; current: boolean }[] }>(200, "GET", "/api/auth/sessions", {
        cookie,
      });
      return list.data.find((x) => x.current)?.id ?? "";
    };
    const idle = await login(u.email, u.password);
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, await sessionOf(idle))
      .run();
    expect((await api("GET", "/api/auth/me", { cookie: idle })).status).toBe(401);

    const old = await login(u.email, u.password);
    await env.DB.prepare("UPDATE sessions SET created_at = ?, expires_at = ? WHERE id = ?")
      .bind(Date.now() - 31 * day, Date.now() + day, await sessionOf(old))
      .run();
    expect((await api("GET", "/api/auth/me", { cookie: old })).status).toBe(401);

    const active = await login(u.email, u.password);
    const id = await sessionOf(active);
    await env.DB.prepare("UPDATE sessions SET expires_at = ? WHERE id = ?")
      .bind(Date.now() + day, id)
      .run();
    await expectStatus(200, "GET", "/api/auth/me", { cookie: active });
    let expiresAt = 0;
    for (let i = 0; i < 20 && expiresAt < Date.now() + 6 * day; i++) {
      expiresAt =
        (await env.DB.prepare("SELECT expires_at FROM sessions WHERE id = ?").bind(id).first<{ expires_at: number }>())
          ?.expires_at ?? 0;
      if (expiresAt < Date.now() + 6 * day) await new Promise((r) => setTimeout(r, 25));
    }
    expect(expiresAt).toBeGreaterThan(Date.now() + 6 * day);
  });

  it("lists my sessions and ends one of them", async () => {
    const fresh = await createUser();
    const a = await login(fresh.email, fresh.password);
    const b = await login(fresh.email, fresh.password);
    const list = await expectStatus<{ data: { id: string; current: boolean }[] }>(200, "GET", "/api/auth/sessions", {
      cookie: a,
    });
    expect(list.data).toHaveLength(2);
    const other = list.data.find((s) => !s.current);
    if (!other) throw new Error("expected the second session");
    await expectStatus(204, "DELETE", `/api/auth/sessions/${other.id}`, { cookie: a });
    expect((await api("GET", "/api/auth/me", { cookie: a })).status).toBe(200);
    expect((await api("GET", "/api/auth/me", { cookie: b })).status).toBe(401);
  });

  it("switches the session's current workspace only to one I belong to", async () => {
    const cookie = await login(u.email, u.password);
    const team = await expectStatus<Workspace>(201, "POST", "/api/workspaces", {
      cookie,
      body: { name: "Switch target" },
    });
    await expectStatus(200, "PUT", "/api/auth/workspace", { cookie, body: { workspace_id: team.id } });
    const me = await expectStatus<{ workspace: { id: string } }>(200, "GET", "/api/auth/me", { cookie });
    expect(me.workspace.id).toBe(team.id);
    const foreign = await createUser();
    const res = await api("PUT", "/api/auth/workspace", {
      cookie,
      body: { workspace_id: foreign.personalWorkspaceId },
    });
    expect(res.status).toBe(404);
  });
});

describe("password change", () => {
  it("ends every session and token of the user and starts a fresh session for the caller", async () => {
    const u = await createUser();
    const a = await login(u.email, u.password);
    const b = await login(u.email, u.password);
    const t = await token(u.email, u.password);
    const newPassword = "a-completely-new-password-7";
    const res = await api("POST", "/api/auth/password", {
      cookie: a,
      body: { current_password: u.password, new_password: newPassword },
    });
    expect(res.status).toBe(200);
    const fresh = sessionCookieFrom(res.headers);
    expect((await api("GET", "/api/auth/me", { cookie: a })).status).toBe(401);
    expect((await api("GET", "/api/auth/me", { cookie: b })).status).toBe(401);
    expect((await api("GET", "/api/auth/me", { token: t.access_token })).status).toBe(401);
    expect((await api("POST", "/api/auth/refresh", { body: { refresh_token: t.refresh_token } })).status).toBe(401);
    expect((await api("GET", "/api/auth/me", { cookie: fresh })).status).toBe(200);
    expect((await api("POST", "/api/auth/token", { body: { email: u.email, password: u.password } })).status).toBe(401);
    expect((await api("POST", "/api/auth/token", { body: { email: u.email, password: newPassword } })).status).toBe(
      200,
    );
  });

  it("requires the current password", async () => {
    const u = await createUser();
    const t = await token(u.email, u.password);
    const res = await api<ErrorBody>("POST", "/api/auth/password", {
      token: t.access_token,
      body: { current_password: "wrong-password-here", new_password: "another-new-password-8" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect((await api("GET", "/api/auth/me", { token: t.access_token })).status).toBe(200);
  });
});
