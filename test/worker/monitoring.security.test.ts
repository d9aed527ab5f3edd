import { describe, expect, it } from "vitest";
import { chat, createAgent } from "./helpers/chat";
import { api, apiKey, createTeam, type ErrorBody, expectStatus } from "./helpers/harness";
import { signedInUser } from "./knowledge.helpers";
import { monitoring, usageRow } from "./monitoring.helpers";

describe("GET /api/monitoring tenancy", () => {
  it("never shows one workspace's traffic, usage or agents to another", async () => {
    const [a, b] = await Promise.all([signedInUser(), signedInUser()]);
    const agent = await createAgent(a.token, { name: "Tenant A's agent" });
    expect((await chat(a.token, agent.id, "Hello")).status).toBe(200);
    await usageRow({ workspaceId: a.workspaceId, agentId: agent.id, inputTokens: 50, outputTokens: 20, costUsd: 3 });

    const seenByA = await monitoring(a.token);
    expect(seenByA.totals.requests).toBeGreaterThan(0);
    expect(seenByA.totals.cost_usd).toBe(3);

    const seenByB = await monitoring(b.token);
    expect(seenByB.totals).toMatchObject({ model_calls: 0, input_tokens: 0, cost_usd: 0 });
    // B's own requests only: the two monitoring reads it made are its first.
    expect(seenByB.totals.requests).toBeLessThanOrEqual(1);
    expect(seenByB.agents).toEqual([]);
    expect(seenByB.models).toEqual([]);
    expect(JSON.stringify(seenByB)).not.toContain(agent.id);

    // Another workspace's agent is not found, never an empty view of it.
    const foreign = await api<ErrorBody>("GET", `/api/monitoring?agent_id=${agent.id}`, { token: b.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("NOT_FOUND");
  });

  it("lists a private agent only to its owner and the workspace's admins", async () => {
    const team = await createTeam();
    const secret = await createAgent(team.user.token, { name: "Private helper", visibility: "private" });
    expect((await chat(team.user.token, secret.id, "Hi")).status).toBe(200);
    const ids = (m: { agents: { agent_id: string }[] }) => m.agents.map((r) => r.agent_id);

    expect(ids(await monitoring(team.user.token))).toContain(secret.id);
    expect(ids(await monitoring(team.admin.token))).toContain(secret.id);
    const reader = await monitoring(team.readOnly.token);
    expect(ids(reader)).not.toContain(secret.id);
    // The workspace's totals still count it: members read the workspace's figures.
    expect(reader.totals.requests).toBeGreaterThan(0);
    const hidden = await api<ErrorBody>("GET", `/api/monitoring?agent_id=${secret.id}`, { token: team.readOnly.token });
    expect(hidden.status).toBe(404);
  });

  it("needs the agents:read scope for API keys, and rejects a bad window with the error envelope", async () => {
    const me = await signedInUser();
    const [reader, other] = await Promise.all([apiKey(me.token, ["agents:read"]), apiKey(me.token, ["chat"])]);
    await expectStatus(200, "GET", "/api/monitoring?window=7d", { token: reader.key });
    expect((await api("GET", "/api/monitoring", { token: other.key })).status).toBe(403);
    const bad = await api<ErrorBody>("GET", "/api/monitoring?window=30d", { token: me.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "VALIDATION_ERROR" });
    expect(bad.body.error.request_id).toBeTruthy();
    expect((await api<ErrorBody>("GET", "/api/monitoring")).status).toBe(401);
  });
});
