import { describe, expect, it } from "vitest";
import type { LoginResponse, MeResponse, TokenResponse } from "../../worker/auth/schemas";
import { ADMIN, adminToken, api, createUser, expectStatus, login, setCookies, token } from "./helpers/harness";

describe("sign-in", () => {
  it("bootstraps the configured admin, who can sign in with a session cookie and see itself", async () => {
    const res = await api<LoginResponse>("POST", "/api/auth/login", { body: ADMIN });
    expect(res.status).toBe(200);
    const setCookie = setCookies(res.headers).find((c) => c.startsWith("__Host-lh_session="));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);
    const cookie = (setCookie ?? "").split(";")[0] ?? "";
    const me = await expectStatus<MeResponse>(200, "GET", "/api/auth/me", { cookie });
    expect(me.user.email).toBe(ADMIN.email);
    expect(me.user.platform_role).toBe("platform_admin");
    expect(me.workspace.personal).toBe(true);
    expect(me.role).toBe("admin");
    expect(me.via).toBe("session");
    expect(me.memberships).toHaveLength(1);
  });

  it("issues a JWT and refresh token that work as a bearer credential", async () => {
    const t = await token(ADMIN.email, ADMIN.password);
    expect(t.token_type).toBe("Bearer");
    expect(t.expires_in).toBe(900);
    const me = await expectStatus<MeResponse>(200, "GET", "/api/auth/me", { token: t.access_token });
    expect(me.via).toBe("jwt");
    const next = await expectStatus<TokenResponse>(200, "POST", "/api/auth/refresh", {
      body: { refresh_token: t.refresh_token },
    });
    expect(next.refresh_token).not.toBe(t.refresh_token);
    await expectStatus(200, "GET", "/api/auth/me", { token: next.access_token });
  });

  it("lets a created user log in and out", async () => {
    await adminToken();
    const u = await createUser();
    const cookie = await login(u.email, u.password);
    await expectStatus(200, "GET", "/api/auth/me", { cookie });
    await expectStatus(204, "POST", "/api/auth/logout", { cookie });
    expect((await api("GET", "/api/auth/me", { cookie })).status).toBe(401);
  });
});
