// Secrets stay secret: passwords, API keys, tokens, the pepper and signing keys never show up
// in log lines, error answers, list answers or audit rows; and a disabled account loses every
// credential on its very next request.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../../worker/app";
import type { AuditPage } from "../../worker/audit/schemas";
import type { TokenResponse } from "../../worker/auth/schemas";
import { log, writeLog } from "../../worker/core/logger";
import type { CreatedApiKey } from "../../worker/keys/schemas";
import { adminToken, api, apiKey, createUser, expectStatus, login, newUserAccess, token } from "./helpers/harness";

/** The Worker in this isolate with every log level on, so nothing is filtered before we look. */
const app = createApp();
const debugEnv = { ...env, LOG_LEVEL: "debug" };
async function call(method: string, path: string, opts: { body?: unknown; bearer?: string } = {}) {
  const ctx = createExecutionContext();
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (opts.bearer) headers.Authorization = `Bearer ${opts.bearer}`;
  const res = await app.request(
    path,
    { method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) },
    debugEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, text: await res.text() };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("secrets in logs and answers", () => {
  it("never writes a password, key, token, pepper or signing secret to the log or an error answer", async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    for (const level of ["log", "info", "warn", "error", "debug"] as const)
      vi.spyOn(console, level).mockImplementation(capture);

    const password = "a-secret-password-for-logs-1";
    const newPassword = "a-second-secret-password-2";
    const admin = await token(env.ADMIN_EMAIL ?? "", env.ADMIN_PASSWORD ?? "");
    const created = await call("POST", "/api/users", {
      bearer: admin.access_token,
      body: { email: "logs@example.test", password },
    });
    expect(created.status).toBe(201);
    const bad = await call("POST", "/api/auth/token", {
      body: { email: "logs@example.test", password: "wrong-secret-password-3" },
    });
    expect(bad.status).toBe(401);
    const short = await call("POST", "/api/users", {
      bearer: admin.access_token,
      body: { email: "short@example.test", password: "tiny-secret" },
    });
    expect(short.status).toBe(400);
    const issued = JSON.parse(
      (await call("POST", "/api/auth/token", { body: { email: "logs@example.test", password } })).text,
    ) as TokenResponse;
    const refreshed = JSON.parse(
      (await call("POST", "/api/auth/refresh", { body: { refresh_token: issued.refresh_token } })).text,
    ) as TokenResponse;
    const key = JSON.parse(
      (
        await call("POST", "/api/keys", {
          bearer: refreshed.access_token,
          body: { name: "log probe", scopes: ["agents:read"] },
        })
      ).text,
    ) as CreatedApiKey;
    const keyList = await call("GET", "/api/keys?include_revoked=true", { bearer: key.key.replace(/.$/, "x") });
    expect(keyList.status).toBe(401);
    const other = JSON.parse(
      (await call("POST", "/api/auth/token", { body: { email: "logs@example.test", password } })).text,
    ) as TokenResponse;
    expect((await call("POST", "/api/auth/refresh", { body: { refresh_token: other.refresh_token } })).status).toBe(
      200,
    );
    const reuse = await call("POST", "/api/auth/refresh", { body: { refresh_token: other.refresh_token } });
    expect(reuse.status).toBe(401);
    const changed = await call("POST", "/api/auth/password", {
      bearer: refreshed.access_token,
      body: { current_password: password, new_password: newPassword },
    });
    expect(changed.status).toBe(200);

    const secrets = {
      password,
      newPassword,
      wrongPassword: "wrong-secret-password-3",
      shortPassword: "tiny-secret",
      adminPassword: env.ADMIN_PASSWORD ?? "",
      pepper: env.PASSWORD_PEPPER ?? "",
      jwtKeys: (env.JWT_KEYS ?? "").split(":")[1] ?? "",
      apiKey: key.key,
      refreshToken: issued.refresh_token,
      reusedRefreshToken: other.refresh_token,
      accessToken: issued.access_token,
    };
    // The capture really sees the Worker's lines (access logs at debug level).
    expect(lines.some((l) => l.includes('"event":"request"'))).toBe(true);
    const logged = lines.join("\n");
    const answered = [bad.text, short.text, keyList.text, reuse.text, changed.text].join("\n");
    for (const [name, value] of Object.entries(secrets)) {
      expect(value.length, name).toBeGreaterThan(8);
      expect(logged.includes(value), `${name} in logs`).toBe(false);
      expect(answered.includes(value), `${name} in answers`).toBe(false);
    }

    vi.restoreAllMocks();
    const audit = await expectStatus<AuditPage>(200, "GET", "/api/audit?all=true&limit=100", {
      token: await adminToken(),
    });
    const rows = JSON.stringify(audit.data);
    for (const [name, value] of Object.entries(secrets)) expect(rows.includes(value), `${name} in audit`).toBe(false);
  });

  it("never returns a key's secret or hash after creation", async () => {
    const t = await newUserAccess();
    const key = await apiKey(t, ["agents:read"]);
    expect(key.key).toMatch(/^lh_[A-Za-z0-9]{8}_[A-Za-z0-9]{40}$/);
    expect(key.prefix).toBe(key.key.slice(0, 11));
    const list = await api("GET", "/api/keys?include_revoked=true", { token: t });
    const one = await api("GET", `/api/keys/${key.id}`, { token: t });
    const secretPart = key.key.slice(12);
    const stored = await env.DB.prepare("SELECT key_hash FROM api_keys WHERE id = ?")
      .bind(key.id)
      .first<{ key_hash: string }>();
    for (const res of [list, one]) {
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(secretPart);
      expect(text).not.toContain(stored?.key_hash ?? "missing");
      expect(text).not.toMatch(/key_hash|keyHash/);
    }
    expect(stored?.key_hash).not.toContain(secretPart);
  });

  it("never returns password hashes from user answers", async () => {
    const u = await createUser();
    const res = await api("GET", `/api/users/${u.id}`, { token: await adminToken() });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(/pbkdf2|password/i);
  });
});

/** Every console line written while `run` runs. */
async function captureLogs(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const capture = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  for (const level of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, level).mockImplementation(capture);
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
  }
  return lines.join("\n");
}

/** Whether any 6 consecutive characters of `secret` appear in `text`. */
const leaksPartOf = (text: string, secret: string) =>
  Array.from({ length: secret.length - 5 }, (_, i) => secret.slice(i, i + 6)).some((part) => text.includes(part));

describe("signing keys in logs", () => {
  const u = { email: "ring@example.test", password: "a-ring-test-password-4" };
  const secretLike = "Q7vLm2XpR9tKw4ZbN8cJh3YdF6gSs1Ae";
  const entries = {
    "an entry without its kid": secretLike,
    "an entry whose text before a colon is no kid": `Q7v/Lm2Xp:${secretLike}`,
    "a short secret after a kid": `kshort:${secretLike.slice(0, 20)}`,
    "a good key followed by a bad entry": `k2026:${"g".repeat(40)},${secretLike}`,
  };

  it.each(Object.entries(entries))(
    "never logs any part of %s; answers 503 with the key's name only",
    async (_case, spec) => {
      const admin = await token(env.ADMIN_EMAIL ?? "", env.ADMIN_PASSWORD ?? "");
      await call("POST", "/api/users", { bearer: admin.access_token, body: u });
      let answer = { status: 0, text: "" };
      const ctx = createExecutionContext();
      const logged = await captureLogs(async () => {
        const res = await app.request(
          "/api/auth/token",
          { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(u) },
          { ...env, JWT_KEYS: spec },
          ctx,
        );
        await waitOnExecutionContext(ctx);
        answer = { status: res.status, text: await res.text() };
      });
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.text)).toMatchObject({
        error: { code: "UNAVAILABLE", details: { keys: ["JWT_KEYS"] } },
      });
      const problem = logged.split("\n").find((l) => l.includes('"event":"invalid_configuration"')) ?? "";
      expect(problem).toMatch(/"key":"JWT_KEYS","message":"entry \d needs kid:secret/);
      for (const secret of spec.split(",").filter((e) => !e.startsWith("k2026:"))) {
        expect(leaksPartOf(logged, secret), "secret in logs").toBe(false);
        expect(leaksPartOf(answer.text, secret), "secret in the answer").toBe(false);
      }
    },
  );
});

describe("the log scrubber", () => {
  it("redacts secret-named fields at any depth, in objects and arrays, and keeps the rest", async () => {
    const fields = {
      upstream: { status: 401, request: { headers: { Authorization: "Bearer sk-nested-1234567890", accept: "json" } } },
      attempts: [
        { user: "a@example.test", password: "nested-password-123" },
        [{ api_key: "lh_nested_key_0987654321" }],
      ],
      config: { JWT_KEYS: "k1:nested-signing-secret-abcdefghijklmnop", LOG_LEVEL: "debug" },
      at: new Date("2026-01-02T03:04:05Z"),
    };
    const logged = await captureLogs(async () => {
      writeLog("warn", "nested_probe", fields);
      log(
        { get: (key: string) => (key === "requestId" ? "req_probe" : undefined) } as Parameters<typeof log>[0],
        "warn",
        "nested_probe_in_request",
        { detail: fields },
      );
    });
    for (const secret of [
      "sk-nested-1234567890",
      "nested-password-123",
      "lh_nested_key_0987654321",
      "nested-signing-secret",
    ])
      expect(logged).not.toContain(secret);
    const [direct, inRequest] = logged.split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(direct).toMatchObject({
      event: "nested_probe",
      upstream: { status: 401, request: { headers: { Authorization: "[redacted]", accept: "json" } } },
      attempts: [{ user: "a@example.test", password: "[redacted]" }, [{ api_key: "[redacted]" }]],
      config: { JWT_KEYS: "[redacted]", LOG_LEVEL: "debug" },
      at: "2026-01-02T03:04:05.000Z",
    });
    expect(inRequest).toMatchObject({
      request_id: "req_probe",
      detail: { attempts: [{ password: "[redacted]" }, [{ api_key: "[redacted]" }]] },
    });
  });

  it("writes cyclic and very deep values without throwing", async () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { token: "deep-token-value-123" };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    const logged = await captureLogs(async () =>
      writeLog("warn", "odd_shapes", { cyclic, deep, shared: [cyclic, cyclic] }),
    );
    const line = JSON.parse(logged) as { cyclic: { self: unknown }; shared: { name: string }[] };
    expect(line.cyclic.self).toBe("[omitted]");
    expect(line.shared.map((s) => s.name)).toEqual(["loop", "loop"]);
    expect(logged).not.toContain("deep-token-value-123");
  });
});

describe("disabling a user", () => {
  it("rejects their session, JWT and API key on the next request, and re-enabling restores none of them", async () => {
    const u = await createUser();
    const cookie = await login(u.email, u.password);
    const t = await token(u.email, u.password);
    const key = await apiKey(t.access_token, ["agents:read"]);
    for (const creds of [{ cookie }, { token: t.access_token }, { token: key.key }])
      expect((await api("GET", "/api/auth/me", creds)).status).toBe(200);

    const admin = await adminToken();
    await expectStatus(200, "PATCH", `/api/users/${u.id}`, { token: admin, body: { disabled: true } });
    for (const creds of [{ cookie }, { token: t.access_token }, { token: key.key }])
      expect((await api("GET", "/api/auth/me", creds)).status).toBe(401);
    expect((await api("POST", "/api/auth/refresh", { body: { refresh_token: t.refresh_token } })).status).toBe(401);
    expect((await api("POST", "/api/auth/token", { body: { email: u.email, password: u.password } })).status).toBe(401);

    await expectStatus(200, "PATCH", `/api/users/${u.id}`, { token: admin, body: { disabled: false } });
    for (const creds of [{ cookie }, { token: t.access_token }, { token: key.key }])
      expect((await api("GET", "/api/auth/me", creds)).status).toBe(401);

    // The key is revoked for good (listed as such to its owner), and the disable names it in the audit trail.
    const fresh = await token(u.email, u.password);
    const listed = await expectStatus<{ data: { id: string; revoked_at: string | null }[] }>(
      200,
      "GET",
      "/api/keys?include_revoked=true",
      { token: fresh.access_token },
    );
    expect(listed.data.find((k) => k.id === key.id)?.revoked_at).toEqual(expect.any(String));
    const trail = await expectStatus<{ data: { action: string; detail: { revoked_api_keys?: string[] } }[] }>(
      200,
      "GET",
      `/api/audit?all=true&action=user.disable&target=${u.id}`,
      { token: admin },
    );
    expect(trail.data).toHaveLength(1);
    expect(trail.data[0]?.detail.revoked_api_keys).toEqual([key.id]);
  });
});
