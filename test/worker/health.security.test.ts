// Issue 14, item 10: /ready is public, but which providers answer and this isolate's circuit
// breakers (named after the hosts the http_get tool fetched for some tenant) are for a
// signed-in platform admin only; everyone else gets the status and the checks.
import { beforeAll, describe, expect, it } from "vitest";
import { breakerFor } from "../../worker/core/resilience";
import type { ReadyResponse } from "../../worker/health/routes";
import { ADMIN, adminToken, api, apiKey, createTeam, createUser, login, type Team } from "./helpers/harness";

// A host one tenant's agent fetched: its breaker is what anonymous /ready used to list.
const TENANT_HOST = "tool:http_get:docs.example.com";

let team: Team;

beforeAll(async () => {
  // One failed fetch of that host, as the http_get tool records it.
  await breakerFor(TENANT_HOST)
    .run(() => Promise.reject(new Error("upstream 503")))
    .catch(() => undefined);
  team = await createTeam();
});

async function ready(opts: { token?: string; cookie?: string } = {}) {
  const res = await api<ReadyResponse>("GET", "/ready", opts);
  expect(res.status).toBe(200);
  return res;
}

function expectStatusAndChecksOnly(res: Awaited<ReturnType<typeof ready>>) {
  expect(Object.keys(res.body).sort()).toEqual(["checks", "status"]);
  expect(res.body.status).toBe("ready");
  expect(Object.keys(res.body.checks).sort()).toEqual(["d1", "durable_objects", "kv"]);
  expect(JSON.stringify(res.body)).not.toContain("docs.example.com");
  expect(res.headers.get("Cache-Control")).toBe("private, no-store");
}

describe("/ready detail by caller", () => {
  it("gives anonymous callers the status and checks only", async () => {
    expectStatusAndChecksOnly(await ready());
  });

  it("gives workspace members of every role, and their API keys, the status and checks only", async () => {
    for (const member of [team.admin, team.user, team.readOnly])
      expectStatusAndChecksOnly(await ready({ token: member.token }));
    expectStatusAndChecksOnly(await ready({ cookie: await login(team.user.email, team.user.password) }));
    const key = await apiKey(team.admin.token, ["admin"]);
    expectStatusAndChecksOnly(await ready({ token: key.key }));
  });

  it("gives a platform admin's API key the status and checks only (keys never act as platform admins)", async () => {
    const key = await apiKey(await adminToken(), ["admin"]);
    expectStatusAndChecksOnly(await ready({ token: key.key }));
  });

  it("gives a signed-in platform admin the providers and circuit breakers, by token and by dashboard session", async () => {
    const second = await createUser({ platformAdmin: true });
    const viaSession = await ready({ cookie: await login(ADMIN.email, ADMIN.password) });
    for (const res of [
      await ready({ token: await adminToken() }),
      viaSession,
      await ready({ cookie: await login(second.email, second.password) }),
    ]) {
      expect(res.body.providers).toMatchObject({ model: "offline", degraded: true, embedder: expect.any(String) });
      expect(res.body.providers?.breakers).toContainEqual(expect.objectContaining({ name: TENANT_HOST, failures: 1 }));
      expect(res.headers.get("Vary")).toContain("Authorization");
    }
  });
});
