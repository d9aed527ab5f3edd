// The response cache must never turn a request into a 500 (long URLs once overflowed KV's
// 512-byte key limit), never serve a cached 200 to a request that would fail validation, and
// never show a caller a view cached under wider permissions (a demoted admin's admin view).
import { describe, expect, it } from "vitest";
import { addMember, api, apiKey, createTeam, createUser, type ErrorBody, expectStatus, token } from "./helpers/harness";

interface AgentList {
  data: { id: string; name: string }[];
}

const names = (list: AgentList) => list.data.map((a) => a.name).sort();

function expectEnvelope(res: { status: number; body: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect((res.body as ErrorBody).error).toMatchObject({
    code,
    message: expect.any(String),
    request_id: expect.any(String),
    timestamp: expect.any(String),
  });
}

describe("response cache: long and hostile URLs", () => {
  it("answers a path far over KV's key limit with the envelope, not a 500", async () => {
    const team = await createTeam("Long paths");
    // An id longer than any the API issues fails the route's own validation.
    expectEnvelope(
      await api("GET", `/api/agents/${"x".repeat(3000)}`, { token: team.admin.token }),
      400,
      "VALIDATION_ERROR",
    );
    expectEnvelope(
      await api("GET", `/api/agents/${"y".repeat(1200)}/versions`, { token: team.admin.token }),
      400,
      "VALIDATION_ERROR",
    );
    expectEnvelope(
      await api("GET", `/api/knowledge-bases/${"%F0%9F%90%9D".repeat(200)}`, { token: team.admin.token }),
      400,
      "VALIDATION_ERROR",
    );
    expectEnvelope(
      await api("GET", `/api/agents/agt_missing?pad=${"p".repeat(2000)}`, { token: team.admin.token }),
      404,
      "NOT_FOUND",
    );
  });

  it("validates the query before the cache: a bad limit is 400, however long", async () => {
    const team = await createTeam("Long queries");
    expectEnvelope(
      await api("GET", `/api/agents?limit=${"a".repeat(100)}`, { token: team.admin.token }),
      400,
      "VALIDATION_ERROR",
    );
    expectEnvelope(
      await api("GET", `/api/agents?limit=${"9".repeat(700)}`, { token: team.admin.token }),
      400,
      "VALIDATION_ERROR",
    );
    expectEnvelope(
      await api("GET", `/api/knowledge-bases?cursor=${"c".repeat(900)}`, { token: team.admin.token }),
      400,
      "VALIDATION_ERROR",
    );
  });

  it("caches a valid read whose URL is over 512 bytes, under a fixed-length key", async () => {
    const team = await createTeam("Long valid query");
    await expectStatus(201, "POST", "/api/agents", { token: team.admin.token, body: { name: "Long-URL agent" } });
    const path = `/api/agents?limit=5&utm_source=${"s".repeat(800)}`;
    const first = await api<AgentList>("GET", path, { token: team.admin.token });
    const second = await api<AgentList>("GET", path, { token: team.admin.token });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.headers.get("X-Cache"), second.headers.get("X-Cache")]).toEqual(["MISS", "HIT"]);
    expect(names(second.body)).toEqual(["Long-URL agent"]);
  });

  it("never serves a cached 200 to a request whose query only looks the same once joined", async () => {
    const team = await createTeam("Ambiguous query");
    // `limit=5&note=1` (valid) and `limit=5%26note%3D1` (one bad limit holding & and =) once shared a key.
    const valid = await api<AgentList>("GET", "/api/agents?limit=5&note=1", { token: team.admin.token });
    expect(valid.status).toBe(200);
    expectEnvelope(
      await api("GET", "/api/agents?limit=5%26note%3D1", { token: team.admin.token }),
      400,
      "VALIDATION_ERROR",
    );
  });
});

describe("response cache: keyed by the caller's permissions", () => {
  it("stops showing a demoted admin the admin view (another member's private agent) at once", async () => {
    const team = await createTeam("Demotion");
    const second = await createUser({ name: "Second Admin" });
    await addMember(team.admin.token, team.workspaceId, second, "admin");
    const secondToken = (await token(second.email, second.password, team.workspaceId)).access_token;
    await expectStatus(201, "POST", "/api/agents", {
      token: team.user.token,
      body: { name: "User's private agent", visibility: "private" },
    });
    await expectStatus(201, "POST", "/api/agents", { token: team.user.token, body: { name: "Shared agent" } });

    const asAdmin = await api<AgentList>("GET", "/api/agents", { token: secondToken });
    expect(names(asAdmin.body)).toEqual(["Shared agent", "User's private agent"]);
    expect((await api("GET", "/api/agents", { token: secondToken })).headers.get("X-Cache")).toBe("HIT");

    await expectStatus(200, "PATCH", `/api/workspaces/${team.workspaceId}/members/${second.id}`, {
      token: team.admin.token,
      body: { role: "user" },
    });
    const demoted = await api<AgentList>("GET", "/api/agents", { token: secondToken });
    expect(demoted.status).toBe(200);
    expect(names(demoted.body)).toEqual(["Shared agent"]);
  });

  it("stops serving a demoted admin's API key what its wider scopes cached", async () => {
    const team = await createTeam("Key demotion");
    const second = await createUser({ name: "Keyed Admin" });
    await addMember(team.admin.token, team.workspaceId, second, "admin");
    const secondToken = (await token(second.email, second.password, team.workspaceId)).access_token;
    const key = (await apiKey(secondToken, ["agents:read", "admin"])).key;
    await expectStatus(200, "GET", "/api/agents", { token: key });
    expect((await api("GET", "/api/agents", { token: key })).headers.get("X-Cache")).toBe("HIT");

    await expectStatus(200, "PATCH", `/api/workspaces/${team.workspaceId}/members/${second.id}`, {
      token: team.admin.token,
      body: { role: "user" },
    });
    // The key now acts with agents:read only: its answer is not the one cached under the admin scope.
    const after = await api("GET", "/api/agents", { token: key });
    expect(after.status).toBe(200);
    expect(after.headers.get("X-Cache")).toBe("MISS");
  });
});
