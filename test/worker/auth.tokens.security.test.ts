// Access and refresh tokens: algorithm pinning, required claims, key rotation and refresh-token
// reuse detection (sign-in throttling: auth.throttle.security.test.ts).
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../worker/app";
import type { AuditPage } from "../../worker/audit/schemas";
import type { TokenResponse } from "../../worker/auth/schemas";
import { adminToken, api, createUser, type ErrorBody, expectStatus, type TestUser, token } from "./helpers/harness";
import { forgeJwt } from "./permissions.principals";

const secretOf = (kid: string) =>
  new TextEncoder().encode(
    (env.JWT_KEYS ?? "")
      .split(",")
      .find((k) => k.startsWith(`${kid}:`))
      ?.slice(kid.length + 1) ?? "",
  );
const currentKid = (env.JWT_KEYS ?? "").split(":")[0] ?? "";
const claimsOf = (jwt: string) =>
  JSON.parse(atob((jwt.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as {
    sub: string;
    wid: string;
    fam: string;
  };

describe("access token verification", () => {
  let u: TestUser;
  let ws: string;
  /** The refresh family of a real sign-in: a valid token must name a live one. */
  let fam: string;
  const now = () => Math.floor(Date.now() / 1000);
  beforeAll(async () => {
    u = await createUser();
    ws = u.personalWorkspaceId;
    fam = claimsOf((await token(u.email, u.password)).access_token).fam;
  });

  it("accepts a token with every required claim from the current key", async () => {
    const t = await token(u.email, u.password);
    const [header] = t.access_token.split(".");
    expect(JSON.parse(atob(header ?? ""))).toMatchObject({ alg: "HS256", kid: currentKid });
    expect((await api("GET", "/api/auth/me", { token: t.access_token })).status).toBe(200);
  });

  /** A token with the right secret and claims, varied in one respect per test. */
  const signed = (opts: { alg?: string; kid?: string; exp?: boolean }) => {
    const jwt = new SignJWT({ wid: ws, fam })
      .setProtectedHeader({ alg: opts.alg ?? "HS256", kid: opts.kid ?? currentKid })
      .setSubject(u.id)
      .setJti("jti_x")
      .setIssuedAt()
      .setIssuer("liquid-hive")
      .setAudience("liquid-hive-api");
    return (opts.exp === false ? jwt : jwt.setExpirationTime("10m")).sign(secretOf(currentKid));
  };

  it("refuses another HMAC algorithm even with the right secret", async () => {
    expect((await api("GET", "/api/auth/me", { token: await signed({ alg: "HS512" }) })).status).toBe(401);
  });

  it("refuses a token without exp, with a foreign issuer, or with an unknown kid", async () => {
    const noExp = await signed({ exp: false });
    const foreignIssuer = await forgeJwt({ sub: u.id, wid: ws, iss: "someone-else", iat: now(), exp: now() + 600 });
    const unknownKid = await signed({ kid: "k1999" });
    // The control: the same builder with nothing changed is accepted, so only the change is refused.
    expect((await api("GET", "/api/auth/me", { token: await signed({}) })).status).toBe(200);
    for (const t of [noExp, foreignIssuer, unknownKid, "not.a.jwt", "eyJhbGciOiJIUzI1NiJ9"]) {
      const res = await api<ErrorBody>("GET", "/api/auth/me", { token: t });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("refuses a malformed Authorization header instead of treating the caller as anonymous", async () => {
    for (const value of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b"]) {
      const res = await api("GET", "/health", { headers: { Authorization: value } });
      expect(res.status, value).toBe(401);
    }
  });

  it("answers 404 when X-Workspace-Id names a workspace the caller is not in", async () => {
    const other = await createUser();
    const t = await token(u.email, u.password);
    const res = await api<ErrorBody>("GET", "/api/auth/me", {
      token: t.access_token,
      headers: { "X-Workspace-Id": other.personalWorkspaceId },
    });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(other.email);
  });

  it("keeps verifying tokens of a retired signing key while a new key signs (rotation)", async () => {
    const old = await token(u.email, u.password);
    const rotated = { ...env, JWT_KEYS: `k2027:${"n".repeat(40)},${env.JWT_KEYS}` };
    const app = createApp();
    const call = async (init: RequestInit & { path: string }) => {
      const ctx = createExecutionContext();
      const res = await app.request(init.path, init, rotated, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    expect(
      (await call({ path: "/api/auth/me", headers: { Authorization: `Bearer ${old.access_token}` } })).status,
    ).toBe(200);
    const fresh = await (
      await call({
        path: "/api/auth/token",
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: u.email, password: u.password }),
      })
    ).json<TokenResponse>();
    expect(JSON.parse(atob(fresh.access_token.split(".")[0] ?? ""))).toMatchObject({ kid: "k2027" });
    expect(
      (await call({ path: "/api/auth/me", headers: { Authorization: `Bearer ${fresh.access_token}` } })).status,
    ).toBe(200);
    // The old ring does not know k2027: nothing signed by an unlisted key is trusted.
    expect((await api("GET", "/api/auth/me", { token: fresh.access_token })).status).toBe(401);
  });
});

describe("access tokens need a live refresh family", () => {
  const now = () => Math.floor(Date.now() / 1000);
  /** A token signed with the real key (as a leaked or example key would be) for `sub` in `wid`, naming `fam`. */
  const forged = (sub: string, wid: string, fam: string) => forgeJwt({ sub, wid, fam, iat: now(), exp: now() + 600 });

  it("refuses a correctly signed platform-admin token whose refresh family was made up", async () => {
    const admin = claimsOf(await adminToken());
    // The control: the same forgery naming the admin's real, live family passes, so only the family is refused.
    expect((await api("GET", "/api/users", { token: await forged(admin.sub, admin.wid, admin.fam) })).status).toBe(200);
    for (const fam of ["fam_made_up", "", admin.sub]) {
      const res = await api<ErrorBody>("GET", "/api/users", { token: await forged(admin.sub, admin.wid, fam) });
      expect(res.status, fam).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("refuses a token naming another user's live family", async () => {
    const [a, b] = [await createUser(), await createUser()];
    const aFam = claimsOf((await token(a.email, a.password)).access_token).fam;
    expect((await api("GET", "/api/auth/me", { token: await forged(a.id, a.personalWorkspaceId, aFam) })).status).toBe(
      200,
    );
    expect((await api("GET", "/api/auth/me", { token: await forged(b.id, b.personalWorkspaceId, aFam) })).status).toBe(
      401,
    );
  });

  it("refuses a token once every refresh token of its family has expired", async () => {
    const u = await createUser();
    const t = await token(u.email, u.password);
    await env.DB.prepare("UPDATE refresh_tokens SET expires_at = ? WHERE family_id = ?")
      .bind(Date.now() - 1000, claimsOf(t.access_token).fam)
      .run();
    expect((await api("GET", "/api/auth/me", { token: t.access_token })).status).toBe(401);
    expect((await api("GET", "/api/auth/me", { token: (await token(u.email, u.password)).access_token })).status).toBe(
      200,
    );
  });
});

describe("development signing key", () => {
  it("derives a dev key and warns when JWT_KEYS is unset in development", async () => {
    const warnings: string[] = [];
    const spy = vi.spyOn(console, "warn").mockImplementation((line: unknown) => void warnings.push(String(line)));
    const u = await createUser();
    const devEnv = { ...env, ENVIRONMENT: "development", JWT_KEYS: "" };
    const app = createApp();
    const ctx = createExecutionContext();
    const res = await app.request(
      "/api/auth/token",
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: u.email, password: u.password }),
      },
      devEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    spy.mockRestore();
    expect(res.status).toBe(200);
    const t = await res.json<TokenResponse>();
    expect(JSON.parse(atob(t.access_token.split(".")[0] ?? ""))).toMatchObject({ kid: "dev" });
    expect(warnings.some((w) => w.includes("jwt_dev_key"))).toBe(true);
    // Tokens from the dev key mean nothing where real keys are configured.
    expect((await api("GET", "/api/auth/me", { token: t.access_token })).status).toBe(401);
  });
});

describe("refresh tokens", () => {
  it("rotates within a family; reusing a spent token revokes the family and is audited", async () => {
    const u = await createUser();
    const first = await token(u.email, u.password);
    const second = await expectStatus<TokenResponse>(200, "POST", "/api/auth/refresh", {
      body: { refresh_token: first.refresh_token },
    });
    expect((await api("GET", "/api/auth/me", { token: second.access_token })).status).toBe(200);

    const replay = await api<ErrorBody>("POST", "/api/auth/refresh", { body: { refresh_token: first.refresh_token } });
    expect(replay.status).toBe(401);
    // The whole family is gone: the newest refresh token and its access token too.
    expect((await api("POST", "/api/auth/refresh", { body: { refresh_token: second.refresh_token } })).status).toBe(
      401,
    );
    expect((await api("GET", "/api/auth/me", { token: second.access_token })).status).toBe(401);
    expect((await api("GET", "/api/auth/me", { token: first.access_token })).status).toBe(401);
    // Other families of the same user are untouched.
    const other = await token(u.email, u.password);
    expect((await api("GET", "/api/auth/me", { token: other.access_token })).status).toBe(200);

    const audit = await expectStatus<AuditPage>(
      200,
      "GET",
      `/api/audit?all=true&action=auth.refresh_reuse&actor=${u.id}`,
      { token: await adminToken() },
    );
    expect(audit.data).toHaveLength(1);
    expect(audit.data[0]).toMatchObject({ outcome: "denied", target_type: "token_family" });
  });

  it("stores refresh tokens only as hashes", async () => {
    const u = await createUser();
    const t = await token(u.email, u.password);
    const hit = await env.DB.prepare("SELECT count(*) AS n FROM refresh_tokens WHERE token_hash = ? OR id = ?")
      .bind(t.refresh_token, t.refresh_token)
      .first<{ n: number }>();
    expect(hit?.n).toBe(0);
  });

  it("ends an API client's token family at logout", async () => {
    const u = await createUser();
    const t = await token(u.email, u.password);
    await expectStatus(204, "POST", "/api/auth/logout", { token: t.access_token });
    expect((await api("GET", "/api/auth/me", { token: t.access_token })).status).toBe(401);
    expect((await api("POST", "/api/auth/refresh", { body: { refresh_token: t.refresh_token } })).status).toBe(401);
  });
});
