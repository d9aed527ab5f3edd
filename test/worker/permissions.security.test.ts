// The permission table, walked: every route x every kind of caller answers exactly the status
// the table (and the route's sample) says. The expected status is derived here from the rule
// independently of core/authorize.ts, so a bug there shows up as a mismatch.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { permissionTable, type Rule } from "../../worker/core/permissions";
import { api, type Method } from "./helpers/harness";
import {
  buildFixture,
  type Caller,
  callerFor,
  type Fixture,
  PRINCIPALS,
  type PrincipalName,
  REFUSED,
  ROLE_OF,
  reissueTokens,
} from "./permissions.principals";
import { ROUTE_SAMPLES, type RouteSample } from "./permissions.samples";

const ROUTES = Object.keys(permissionTable).sort();

function expectedStatus(rule: Rule, who: PrincipalName, sample: RouteSample): number {
  const sampled = sample.overrides?.[who] ?? sample.status;
  if (REFUSED.has(who)) return 401;
  if (who === "anonymous") return rule.access === "public" ? sampled : 401;
  if (rule.access === "public" || rule.access === "authenticated") return sampled;
  if (rule.access === "platform_admin") return who === "platformAdmin" ? sampled : 403;
  const role = ROLE_OF[who as keyof typeof ROLE_OF];
  if (!rule.roles.includes(role)) return 403;
  if (role === "service" && rule.scope && who === "keyWithoutScope") return 403;
  return sampled;
}

const fill = (text: string, caller: Caller) =>
  text.replaceAll("{ws}", caller.workspaceId).replaceAll("{me}", caller.userId);

async function call(route: string, sample: RouteSample, caller: Caller): Promise<number> {
  const method = route.split(" ")[0] as Method;
  const body = typeof sample.body === "function" ? (sample.body as (c: Caller) => unknown)(caller) : sample.body;
  const res = await api(method, fill(sample.path, caller), {
    ...(caller.token ? { token: caller.token } : {}),
    ...(body === undefined ? {} : { body }),
  });
  return res.status;
}

describe("permission table x principals", () => {
  let shared: Fixture;
  // Generous limits: each route makes 13 requests, and a fresh fixture makes a dozen more.
  beforeAll(async () => {
    shared = await buildFixture();
  }, 120_000);

  it("has a sample request for every route in the table", () => {
    const missing = ROUTES.filter((r) => !ROUTE_SAMPLES[r]);
    expect(missing, "add these routes to ROUTE_SAMPLES in test/worker/permissions.samples.ts").toEqual([]);
    const stale = Object.keys(ROUTE_SAMPLES).filter((r) => !permissionTable[r]);
    expect(stale, "samples for routes that are no longer in the table").toEqual([]);
  });

  it("lists only routes the app registers", () => {
    const registered = new Set(createApp().routes.map((r) => `${r.method} ${r.path}`));
    expect(ROUTES.filter((r) => !registered.has(r))).toEqual([]);
  });

  it.each(ROUTES)(
    "%s answers every principal as the table says",
    async (route) => {
      const sample = ROUTE_SAMPLES[route];
      const rule = permissionTable[route];
      if (!sample || !rule) throw new Error(`no sample for ${route}`);
      const fixture = sample.fresh ? await buildFixture() : shared;
      const scope = rule.access === "workspace" ? rule.scope : undefined;
      const expected: Record<string, number> = {};
      const actual: Record<string, number> = {};
      for (const who of PRINCIPALS) {
        expected[who] = expectedStatus(rule, who, sample);
        actual[who] = await call(route, sample, await callerFor(fixture, who, scope));
      }
      if (sample.reauth) await reissueTokens(fixture);
      expect(actual).toEqual(expected);
    },
    60_000,
  );
});

describe("deny by default", () => {
  it("answers 404 for a route registered on the app but missing from the permission table", async () => {
    const app = createApp();
    app.get("/api/unlisted-probe", (c) => c.json({ reached: true }));
    const ctx = createExecutionContext();
    const res = await app.request("/api/unlisted-probe", {}, env, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(404);
    const body = await res.json<{ error: { code: string } }>();
    expect(body.error.code).toBe("NOT_FOUND");
    expect(JSON.stringify(body)).not.toContain("reached");
  });
});
