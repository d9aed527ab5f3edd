// Who sees and changes which agent: tenants are invisible to each other (404), users edit only
// their own agents (403 on others'), private agents are hidden from other members, read-only
// members only read, API keys act within their scopes and their user's agents.
import { beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { chat, createAgent } from "./helpers/chat";
import { api, apiKey, createTeam, createUser, type ErrorBody, expectStatus, type Team, token } from "./helpers/harness";

let team: Team;
let adminAgent: Agent;
let userAgent: Agent;
let privateAdminAgent: Agent;
let stranger: string;

const fresh = { "Cache-Control": "no-cache" };

beforeAll(async () => {
  team = await createTeam();
  adminAgent = await createAgent(team.admin.token, { name: "Admin's shared" });
  privateAdminAgent = await createAgent(team.admin.token, { name: "Admin's private", visibility: "private" });
  userAgent = await createAgent(team.user.token, { name: "User's own", visibility: "private" });
  const s = await createUser();
  stranger = (await token(s.email, s.password)).access_token;
});

describe("tenant isolation", () => {
  it("answers 404 on every agent route for another workspace's agent", async () => {
    const id = adminAgent.id;
    const attempts = [
      await api<ErrorBody>("GET", `/api/agents/${id}`, { token: stranger, headers: fresh }),
      await api<ErrorBody>("PATCH", `/api/agents/${id}`, { token: stranger, body: { name: "pwned" } }),
      await api<ErrorBody>("DELETE", `/api/agents/${id}`, { token: stranger }),
      await api<ErrorBody>("GET", `/api/agents/${id}/versions`, { token: stranger, headers: fresh }),
      await api<ErrorBody>("POST", `/api/agents/${id}/versions/1/rollback`, { token: stranger, body: {} }),
    ];
    expect(attempts.map((r) => [r.status, r.body.error.code])).toEqual(Array(5).fill([404, "NOT_FOUND"]));
    const chatAttempt = await chat(stranger, id, "hello");
    expect(chatAttempt.status).toBe(404);
    expect((chatAttempt.body as ErrorBody).error.code).toBe("NOT_FOUND");
    const list = await expectStatus<{ data: Agent[] }>(200, "GET", "/api/agents?limit=100", {
      token: stranger,
      headers: fresh,
    });
    expect(list.data.map((a) => a.id)).not.toContain(id);
    const intact = await expectStatus<Agent>(200, "GET", `/api/agents/${id}`, {
      token: team.admin.token,
      headers: fresh,
    });
    expect(intact).toMatchObject({ name: "Admin's shared", version: 1 });
  });
});

describe("roles inside a workspace", () => {
  it("lets a user read a shared agent but not change it (403)", async () => {
    const seen = await expectStatus<Agent>(200, "GET", `/api/agents/${adminAgent.id}`, {
      token: team.user.token,
      headers: fresh,
    });
    expect(seen.can_edit).toBe(false);
    const edit = await api<ErrorBody>("PATCH", `/api/agents/${adminAgent.id}`, {
      token: team.user.token,
      body: { name: "mine now" },
    });
    expect(edit.status).toBe(403);
    expect((await api("DELETE", `/api/agents/${adminAgent.id}`, { token: team.user.token })).status).toBe(403);
    expect(
      (await api("POST", `/api/agents/${adminAgent.id}/versions/1/rollback`, { token: team.user.token, body: {} }))
        .status,
    ).toBe(403);
  });

  it("hides private agents from other members but not from admins", async () => {
    expect(
      (await api("GET", `/api/agents/${privateAdminAgent.id}`, { token: team.user.token, headers: fresh })).status,
    ).toBe(404);
    const userList = await expectStatus<{ data: Agent[] }>(200, "GET", "/api/agents?limit=100", {
      token: team.user.token,
      headers: fresh,
    });
    expect(userList.data.map((a) => a.id).sort()).toEqual([adminAgent.id, userAgent.id].sort());
    const adminView = await expectStatus<Agent>(200, "GET", `/api/agents/${userAgent.id}`, {
      token: team.admin.token,
      headers: fresh,
    });
    expect(adminView.can_edit).toBe(true);
    const readerList = await expectStatus<{ data: Agent[] }>(200, "GET", "/api/agents?limit=100", {
      token: team.readOnly.token,
      headers: fresh,
    });
    expect(readerList.data.map((a) => a.id)).toEqual([adminAgent.id]);
  });

  it("lets an admin change a member's agent", async () => {
    const changed = await expectStatus<Agent>(200, "PATCH", `/api/agents/${userAgent.id}`, {
      token: team.admin.token,
      body: { description: "reviewed by admin" },
    });
    expect(changed.version).toBe(2);
  });

  it("keeps read-only members to reading", async () => {
    expect(
      (await api("GET", `/api/agents/${adminAgent.id}`, { token: team.readOnly.token, headers: fresh })).status,
    ).toBe(200);
    expect((await api("POST", "/api/agents", { token: team.readOnly.token, body: { name: "nope" } })).status).toBe(403);
    expect((await chat(team.readOnly.token, adminAgent.id, "hi")).status).toBe(403);
  });
});

describe("API keys", () => {
  it("read with agents:read, write with agents:write, chat only with chat", async () => {
    const reader = await apiKey(team.user.token, ["agents:read"]);
    const writer = await apiKey(team.user.token, ["agents:write", "agents:read"]);
    expect((await api("GET", `/api/agents/${adminAgent.id}`, { token: reader.key, headers: fresh })).status).toBe(200);
    expect((await api("POST", "/api/agents", { token: reader.key, body: { name: "by key" } })).status).toBe(403);
    expect((await chat(reader.key, adminAgent.id, "hi")).status).toBe(403);
    const made = await expectStatus<Agent>(201, "POST", "/api/agents", { token: writer.key, body: { name: "by key" } });
    expect(made.owner_id).toBe(team.user.id);
  });

  it("never lets a key change agents its user could not", async () => {
    const writer = await apiKey(team.user.token, ["agents:write", "agents:read"]);
    expect(
      (await api("PATCH", `/api/agents/${adminAgent.id}`, { token: writer.key, body: { name: "via key" } })).status,
    ).toBe(403);
    expect(
      (await api("GET", `/api/agents/${privateAdminAgent.id}`, { token: writer.key, headers: fresh })).status,
    ).toBe(404);
  });
});

describe("knowledge bases", () => {
  it("attaches the workspace's own knowledge bases and refuses another tenant's (422)", async () => {
    const own = await expectStatus<{ id: string }>(201, "POST", "/api/knowledge-bases", {
      token: team.admin.token,
      body: { name: "Team docs" },
    });
    const foreign = await expectStatus<{ id: string }>(201, "POST", "/api/knowledge-bases", {
      token: stranger,
      body: { name: "Secret docs" },
    });
    const attached = await createAgent(team.admin.token, {
      name: "Librarian",
      knowledge_base_ids: [own.id],
      tools: ["knowledge_search"],
    });
    expect(attached.definition.knowledge_base_ids).toEqual([own.id]);
    const refused = await api<ErrorBody>("POST", "/api/agents", {
      token: team.admin.token,
      body: { name: "Spy", knowledge_base_ids: [foreign.id] },
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body.error.details)).toContain(foreign.id);
    const patched = await api<ErrorBody>("PATCH", `/api/agents/${attached.id}`, {
      token: team.admin.token,
      body: { knowledge_base_ids: [own.id, foreign.id] },
    });
    expect(patched.status).toBe(422);
  });
});
