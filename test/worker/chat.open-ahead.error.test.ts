// Bad input and wrong callers on POST /api/agents/:id/conversations get the error envelope,
// and a conversation opened ahead is its opener's alone, bound to its agent.
import { env, SELF } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import type { Conversation } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat, createAgent, text } from "./helpers/chat";
import { api, apiKey, BASE, type ErrorBody, expectStatus, type Team } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";
import { teamSharingAnAgent } from "./helpers/tenants";

let team: Team;
let shared: Agent;
let privateAgent: Agent;
let outsider: string;

beforeAll(async () => {
  ({ team, agent: shared, outsider } = await teamSharingAnAgent());
  privateAgent = await createAgent(team.admin.token, { name: "Mine", visibility: "private" });
});

afterEach(() => clearProviderOverrides());

const openAs = (tok: string | undefined, agentId: string, body: unknown = {}) =>
  api<ErrorBody>("POST", `/api/agents/${agentId}/conversations`, { ...(tok ? { token: tok } : {}), body });
const conversationCount = async () =>
  (await env.DB.prepare("SELECT COUNT(*) AS n FROM conversations").first<{ n: number }>())?.n ?? 0;

describe("POST /api/agents/:id/conversations: bad input", () => {
  it("answers 400 to a bad body (VALIDATION_ERROR) or malformed JSON (BAD_REQUEST), and opens nothing", async () => {
    const before = await conversationCount();
    for (const body of [{ title: 5 }, { title: "x".repeat(81) }, { title: "ok", message: "no such field" }, [], 42]) {
      const r = await openAs(team.user.token, shared.id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe("VALIDATION_ERROR");
    }
    const malformed = await SELF.fetch(`${BASE}/api/agents/${shared.id}/conversations`, {
      method: "POST",
      headers: { Authorization: `Bearer ${team.user.token}`, "Content-Type": "application/json" },
      body: "{title:",
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ErrorBody).error.code).toBe("BAD_REQUEST");
    expect(await conversationCount()).toBe(before);
  });

  it("answers 404 for an unknown agent, another member's private agent and another tenant's agent", async () => {
    for (const [tok, id] of [
      [team.user.token, "agt_missing"],
      [team.user.token, privateAgent.id],
      [outsider, shared.id],
    ] as const) {
      const r = await openAs(tok, id);
      expect(r.status).toBe(404);
      expect(r.body.error).toMatchObject({ code: "NOT_FOUND", message: "Agent not found" });
    }
  });

  it("answers 401 without credentials and 403 to a key without the chat scope or a read-only member", async () => {
    const anonymous = await openAs(undefined, shared.id);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("UNAUTHENTICATED");
    const readKey = await apiKey(team.user.token, ["agents:read"]);
    const scoped = await openAs(readKey.key, shared.id);
    expect(scoped.status).toBe(403);
    expect(scoped.body.error.code).toBe("FORBIDDEN");
    const reader = await openAs(team.readOnly.token, shared.id);
    expect(reader.status).toBe(403);
  });
});

describe("a conversation opened ahead", () => {
  it("is its opener's alone: other members and tenants get 404 everywhere, and it still works after", async () => {
    const c = await expectStatus<Conversation>(201, "POST", `/api/agents/${shared.id}/conversations`, {
      token: team.user.token,
      body: {},
    });
    setProviderOverrides({ model: new ScriptedModel(textScript("mine")) });
    for (const intruder of [team.admin.token, outsider]) {
      expect((await chat(intruder, shared.id, "let me in", c.id)).status).toBe(404);
      expect((await api("GET", `/api/conversations/${c.id}`, { token: intruder })).status).toBe(404);
    }
    const mine = await chat(team.user.token, shared.id, "hello", c.id);
    expect(text(mine.events)).toBe("mine");
    const list = await api<{ data: Conversation[] }>("GET", "/api/conversations", { token: team.admin.token });
    expect(list.body.data.map((x) => x.id)).not.toContain(c.id);
  });

  it("belongs to the agent it was opened for: chatting through another agent is a 409 CONFLICT", async () => {
    const other = await createAgent(team.user.token, { name: "Other" });
    const c = await expectStatus<Conversation>(201, "POST", `/api/agents/${shared.id}/conversations`, {
      token: team.user.token,
      body: {},
    });
    const r = await chat(team.user.token, other.id, "wrong agent", c.id);
    expect(r.status).toBe(409);
    expect((r.body as ErrorBody).error).toMatchObject({ code: "CONFLICT", details: { agent_id: shared.id } });
    setProviderOverrides({ model: new ScriptedModel(textScript("right agent")) });
    expect(text((await chat(team.user.token, shared.id, "right agent", c.id)).events)).toBe("right agent");
  });
});
