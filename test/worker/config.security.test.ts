// Deployed as is: staging and production refuse to serve with a secret that is missing, short
// or published (503 envelope, one log line per problem, no secret in either); development's
// fallbacks answer loopback hosts only, so a `wrangler deploy` of the default environment is
// not a working, forgeable platform.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import devVarsExample from "../../.dev.vars.example?raw";
import { createApp } from "../../worker/app";
import type { TokenResponse } from "../../worker/auth/schemas";
import { adminToken, type ErrorBody } from "./helpers/harness";

const app = createApp();

async function call(url: string, vars: Record<string, string>, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await app.request(url, init, { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Error lines the Worker writes while `run` runs, parsed. */
async function errorLines(run: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(String(line)));
  await run();
  vi.restoreAllMocks();
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

// The admin is bootstrapped once per database, by the first request: under the test configuration.
beforeAll(async () => {
  await adminToken();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const strong = (seed: string) => `${seed}-${"x".repeat(40)}`;
const STRONG = { PASSWORD_PEPPER: strong("pepper"), JWT_KEYS: `k1:${strong("jwt")}`, ADMIN_PASSWORD: strong("admin") };
/** The secrets a developer copies from .dev.vars.example. */
const example = Object.fromEntries(
  devVarsExample
    .split("\n")
    .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]]),
) as Record<string, string>;
const PUBLIC_HOST = "https://liquid-hive.example.workers.dev";

describe("staging and production refuse weak secrets", () => {
  const cases: { name: string; vars: Record<string, string>; keys: string[]; problems: number }[] = [
    {
      name: "missing",
      vars: { PASSWORD_PEPPER: "", JWT_KEYS: "", ADMIN_PASSWORD: "" },
      keys: ["PASSWORD_PEPPER", "JWT_KEYS"],
      problems: 2,
    },
    {
      name: "shorter than 32 bytes",
      vars: {
        PASSWORD_PEPPER: "p".repeat(31),
        JWT_KEYS: `k1:${"s".repeat(31)},k2:${strong("ok")}`,
        ADMIN_PASSWORD: "a-fine-but-short-password",
      },
      keys: ["PASSWORD_PEPPER", "JWT_KEYS", "ADMIN_PASSWORD"],
      problems: 3,
    },
    {
      name: "the .dev.vars.example values",
      vars: {
        PASSWORD_PEPPER: example.PASSWORD_PEPPER ?? "",
        JWT_KEYS: `live:${(example.JWT_KEYS ?? "").split(":")[1]},${example.JWT_KEYS}`,
        ADMIN_PASSWORD: example.ADMIN_PASSWORD ?? "",
      },
      keys: ["PASSWORD_PEPPER", "JWT_KEYS", "ADMIN_PASSWORD"],
      problems: 4,
    },
  ];

  for (const ENVIRONMENT of ["staging", "production"]) {
    for (const c of cases) {
      it(`${ENVIRONMENT}: ${c.name} answers 503 on every route and logs one line per problem`, async () => {
        const answers: Response[] = [];
        const lines = await errorLines(async () => {
          for (const path of ["/health", "/api/auth/me", "/api/auth/token"])
            answers.push(await call(`${PUBLIC_HOST}${path}`, { ENVIRONMENT, ...c.vars }));
        });
        for (const res of answers) {
          expect(res.status).toBe(503);
          const body = await res.json<ErrorBody>();
          expect(body.error).toMatchObject({ code: "UNAVAILABLE", message: "Service misconfigured" });
          expect([...(body.error.details.keys as string[])].sort()).toEqual([...c.keys].sort());
        }
        const config = lines.filter((l) => l.event === "invalid_configuration");
        expect(config).toHaveLength(c.problems * answers.length);
        expect(new Set(config.map((l) => l.key))).toEqual(new Set(c.keys));
        // Secrets, not the kids that name JWT keys (those are logged, to say which key is weak).
        const secrets = Object.entries(c.vars).flatMap(([k, v]) =>
          k === "JWT_KEYS" ? v.split(",").map((e) => e.slice(e.indexOf(":") + 1)) : [v],
        );
        for (const secret of secrets.filter((v) => v.length > 8))
          expect(JSON.stringify(lines), "a secret in the log").not.toContain(secret);
      });
    }

    it(`${ENVIRONMENT}: strong secrets serve (the control)`, async () => {
      expect((await call(`${PUBLIC_HOST}/health`, { ENVIRONMENT, ...STRONG })).status).toBe(200);
      // ADMIN_PASSWORD only bootstraps the first admin: it may be absent.
      expect((await call(`${PUBLIC_HOST}/health`, { ENVIRONMENT, ...STRONG, ADMIN_PASSWORD: "" })).status).toBe(200);
    });
  }

  it("knows every secret published in .dev.vars.example and the test configuration", async () => {
    const published = [
      ["PASSWORD_PEPPER", example.PASSWORD_PEPPER],
      ["JWT_KEYS", example.JWT_KEYS],
      ["ADMIN_PASSWORD", example.ADMIN_PASSWORD],
      ["PASSWORD_PEPPER", env.PASSWORD_PEPPER],
      ["JWT_KEYS", env.JWT_KEYS],
      ["ADMIN_PASSWORD", env.ADMIN_PASSWORD],
    ] as const;
    for (const [key, value] of published) {
      expect(value, key).toBeTruthy();
      const secret = key === "JWT_KEYS" ? (value ?? "").slice((value ?? "").indexOf(":") + 1) : (value ?? "");
      const as = (v: string) => ({ ENVIRONMENT: "production", ...STRONG, [key]: key === "JWT_KEYS" ? `k1:${v}` : v });
      let status = 0;
      const lines = await errorLines(
        async () => void (status = (await call(`${PUBLIC_HOST}/health`, as(secret))).status),
      );
      expect(status, `${key} published value`).toBe(503);
      expect(lines.map((l) => String(l.message)).join("\n"), key).toContain(
        "example value published in the repository",
      );
      // The same value made longer is no longer a known one: it is the exact value that is refused.
      expect((await call(`${PUBLIC_HOST}/health`, as(`${secret}${"!".repeat(32)}`))).status, `${key} lengthened`).toBe(
        200,
      );
    }
  });
});

describe("development fallbacks answer loopback hosts only", () => {
  /** What `wrangler deploy` without --env ships: [vars] ENVIRONMENT=development, no .dev.vars. */
  const defaultDeploy = { ENVIRONMENT: "development", PASSWORD_PEPPER: "", JWT_KEYS: "", ADMIN_PASSWORD: "" };
  /** The same with a weak pepper and admin password (this file's admin signs in with them), and the derived dev JWT key. */
  const devKey = { ENVIRONMENT: "development", JWT_KEYS: "" };
  const signIn = (origin: string, vars: Record<string, string>) =>
    call(`${origin}/api/auth/token`, vars, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }),
    });

  it("the default environment deployed answers 503 to a public host", async () => {
    for (const path of ["/health", "/api/auth/me", "/api/openapi.json"])
      expect((await call(`${PUBLIC_HOST}${path}`, defaultDeploy)).status, path).toBe(503);
    expect((await call("http://localhost:8787/health", defaultDeploy)).status).toBe(200);
  });

  it("a token signed with the derived development key is useless on a public host", async () => {
    const local = await signIn("http://localhost", devKey);
    expect(local.status).toBe(200);
    const dev = await local.json<TokenResponse>();
    expect(JSON.parse(atob(dev.access_token.split(".")[0] ?? ""))).toMatchObject({ kid: "dev" });
    const bearer = { headers: { Authorization: `Bearer ${dev.access_token}` } };

    const lines = await errorLines(async () => {
      for (const origin of [
        PUBLIC_HOST,
        "https://api.liquid-hive.example",
        "http://192.168.1.20:8787",
        "http://localhost.example.com",
      ]) {
        for (const [path, init] of [
          ["/api/users", bearer],
          ["/health", {}],
        ] as const) {
          const res = await call(`${origin}${path}`, devKey, init);
          expect(res.status, `${origin}${path}`).toBe(503);
          expect((await res.json<ErrorBody>()).error.code).toBe("UNAVAILABLE");
        }
      }
      expect((await signIn(PUBLIC_HOST, devKey)).status).toBe(503);
    });
    expect(lines.filter((l) => l.event === "invalid_configuration").map((l) => l.key)).toContain("JWT_KEYS");
    // The control: this machine still gets the working development platform.
    for (const origin of ["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787"]) {
      expect((await call(`${origin}/api/users`, devKey, bearer)).status, origin).toBe(200);
    }
  });

  it("the .dev.vars.example values are fallbacks too; strong development secrets serve any host", async () => {
    const fromExample = {
      ENVIRONMENT: "development",
      PASSWORD_PEPPER: example.PASSWORD_PEPPER ?? "",
      JWT_KEYS: example.JWT_KEYS ?? "",
      ADMIN_PASSWORD: example.ADMIN_PASSWORD ?? "",
    };
    expect((await call(`${PUBLIC_HOST}/health`, fromExample)).status).toBe(503);
    expect((await call("http://localhost:8787/health", fromExample)).status).toBe(200);
    expect((await call(`${PUBLIC_HOST}/health`, { ENVIRONMENT: "development", ...STRONG })).status).toBe(200);
  });

  it("the test environment (scripted models, provider overrides) is held to the same rule", async () => {
    expect((await call(`${PUBLIC_HOST}/health`, { ENVIRONMENT: "test" })).status).toBe(503);
    expect((await call("http://localhost/health", { ENVIRONMENT: "test" })).status).toBe(200);
  });
});
