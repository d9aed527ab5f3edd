// Bad input to the auth routes gets the error envelope, never a 500, and changes nothing.
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import type { User } from "../../worker/users/schemas";
import { api, BASE, createUser, type ErrorBody, token } from "./helpers/harness";

describe("auth input validation", () => {
  it("answers malformed login and token bodies with VALIDATION_ERROR", async () => {
    const bodies: unknown[] = [
      {},
      { email: "not-an-email", password: "x" },
      { email: "a@b.test" },
      { email: "a@b.test", password: "" },
      { email: "a@b.test", password: "x".repeat(2000) },
      [1, 2],
    ];
    for (const path of ["/api/auth/login", "/api/auth/token"]) {
      for (const body of bodies) {
        const res = await api<ErrorBody>("POST", path, { body });
        expect(res.status, `${path} ${JSON.stringify(body).slice(0, 40)}`).toBe(400);
        expect(res.body.error.code).toBe("VALIDATION_ERROR");
      }
    }
  });

  it("answers broken JSON and a missing body with 400", async () => {
    const broken = await SELF.fetch(`${BASE}/api/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"email":',
    });
    expect(broken.status).toBe(400);
    expect((await broken.json<ErrorBody>()).error.request_id).toMatch(/^req_/);
    const empty = await SELF.fetch(`${BASE}/api/auth/token`, { method: "POST" });
    expect(empty.status).toBe(400);
  });

  it("rejects a weak new password and keeps the old one working", async () => {
    const u = await createUser();
    const t = await token(u.email, u.password);
    const res = await api<ErrorBody>("POST", "/api/auth/password", {
      token: t.access_token,
      body: { current_password: u.password, new_password: "short" },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error.details)).toContain("new_password");
    expect((await api("POST", "/api/auth/token", { body: { email: u.email, password: u.password } })).status).toBe(200);
  });

  it("rejects refresh tokens that are empty, oversized or unknown", async () => {
    for (const [refresh_token, status] of [
      ["", 400],
      ["x".repeat(300), 400],
      ["lhr_unknown", 401],
    ] as const) {
      expect((await api("POST", "/api/auth/refresh", { body: { refresh_token } })).status).toBe(status);
    }
  });

  it("answers a token request for a workspace the user is not in with 404", async () => {
    const a = await createUser();
    const b = await createUser();
    const res = await api<ErrorBody>("POST", "/api/auth/token", {
      body: { email: a.email, password: a.password, workspace_id: b.personalWorkspaceId },
    });
    expect(res.status).toBe(404);
  });
});

describe("sign-up", () => {
  it("is closed in admin_only mode", async () => {
    const res = await api<ErrorBody>("POST", "/api/auth/signup", {
      body: { email: "new@example.test", password: "a-long-enough-password" },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
    expect(
      (
        await api("POST", "/api/auth/token", {
          body: { email: "new@example.test", password: "a-long-enough-password" },
        })
      ).status,
    ).toBe(401);
  });

  it("in open mode creates an account with a personal workspace, once per email", async () => {
    const app = createApp();
    const open = { ...env, SIGNUP_MODE: "open" };
    const signup = async (body: unknown) => {
      const ctx = createExecutionContext();
      const res = await app.request(
        "/api/auth/signup",
        { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
        open,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res;
    };
    const created = await signup({
      email: "Open.Signup@Example.test",
      password: "a-long-enough-password",
      name: "Open",
    });
    expect(created.status).toBe(201);
    const user = await created.json<User>();
    expect(user.email).toBe("open.signup@example.test");
    expect(user.platform_role).toBe("member");
    const t = await token("open.signup@example.test", "a-long-enough-password");
    expect(t.workspace_id).toMatch(/^ws_/);
    const again = await signup({ email: "open.signup@example.test", password: "another-long-password" });
    expect(again.status).toBe(409);
    const weak = await signup({ email: "weak@example.test", password: "short" });
    expect(weak.status).toBe(400);
    // The duplicate attempt did not replace the original password.
    expect(
      (
        await api("POST", "/api/auth/token", {
          body: { email: "open.signup@example.test", password: "a-long-enough-password" },
        })
      ).status,
    ).toBe(200);
  });
});
