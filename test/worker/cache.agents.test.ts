// The response cache end to end on GET /api/agents: two tenants, one path, never each
// other's body; a write invalidates the cached read.
import { describe, expect, it } from "vitest";
import { api, createUser, expectStatus, token } from "./helpers/harness";

interface AgentList {
  data: { id: string; name: string }[];
}

async function tenant(label: string) {
  const u = await createUser({ name: label });
  return (await token(u.email, u.password)).access_token;
}

describe("response cache on /api/agents", () => {
  it("never serves one tenant's cached list to another, and invalidates on write", async () => {
    const [a, b] = await Promise.all([tenant("A"), tenant("B")]);
    await expectStatus(201, "POST", "/api/agents", { token: a, body: { name: "Alpha agent" } });
    await expectStatus(201, "POST", "/api/agents", { token: b, body: { name: "Bravo agent" } });

    const a1 = await api<AgentList>("GET", "/api/agents", { token: a });
    const a2 = await api<AgentList>("GET", "/api/agents", { token: a });
    expect([a1.headers.get("X-Cache"), a2.headers.get("X-Cache")]).toEqual(["MISS", "HIT"]);
    expect(a2.body.data.map((x) => x.name)).toEqual(["Alpha agent"]);

    const b1 = await api<AgentList>("GET", "/api/agents", { token: b });
    expect(b1.headers.get("X-Cache")).toBe("MISS");
    expect(b1.body.data.map((x) => x.name)).toEqual(["Bravo agent"]);

    await expectStatus(201, "POST", "/api/agents", { token: a, body: { name: "Second alpha" } });
    const a3 = await api<AgentList>("GET", "/api/agents", { token: a });
    expect(a3.headers.get("X-Cache")).toBe("MISS");
    expect(a3.body.data.map((x) => x.name).sort()).toEqual(["Alpha agent", "Second alpha"]);
    // B's cache was not invalidated by A's write.
    expect((await api("GET", "/api/agents", { token: b })).headers.get("X-Cache")).toBe("HIT");
  });
});
