// Conversations belong to one user in one workspace: other members and other tenants get 404
// everywhere, and the Agent Durable Object refuses a caller it was not bound to even if the
// Worker's checks were bypassed. One Agent instance per conversation, never shared.
import { env } from "cloudflare:test";
import { getAgentByName } from "agents";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat } from "./helpers/chat";
import { api, type ErrorBody, type Team } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";
import { teamSharingAnAgent } from "./helpers/tenants";

let team: Team;
let agent: Agent;
let outsider: string;

beforeAll(async () => {
  ({ team, agent, outsider } = await teamSharingAnAgent());
});

afterEach(() => clearProviderOverrides());

describe("conversation isolation", () => {
  it("gives two users of one agent two separate conversations and Agent instances", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("hi")) });
    const a = await chat(team.admin.token, agent.id, "I am the admin");
    const b = await chat(team.user.token, agent.id, "I am the user");
    expect(a.conversationId).not.toBe(b.conversationId);
    const idA = env.CONVERSATION_AGENT.idFromName(a.conversationId).toString();
    const idB = env.CONVERSATION_AGENT.idFromName(b.conversationId).toString();
    expect(idA).not.toBe(idB);
    const mine = await api<{ data: { id: string }[] }>("GET", "/api/conversations", { token: team.user.token });
    expect(mine.body.data.map((c) => c.id)).toEqual([b.conversationId]);
  });

  it("answers 404 to another member and to another tenant on every conversation route", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("private")) });
    const a = await chat(team.admin.token, agent.id, "admin only");
    const id = a.conversationId;
    for (const intruder of [team.user.token, outsider]) {
      const attempts = [
        await api<ErrorBody>("GET", `/api/conversations/${id}`, { token: intruder }),
        await api<ErrorBody>("POST", `/api/conversations/${id}/cancel`, { token: intruder }),
        await api<ErrorBody>("POST", `/api/conversations/${id}/socket-token`, { token: intruder }),
        await api<ErrorBody>("POST", `/api/conversations/${id}/approvals/call_x`, {
          token: intruder,
          body: { decision: "approve" },
        }),
        await api<ErrorBody>("DELETE", `/api/conversations/${id}`, { token: intruder }),
      ];
      expect(attempts.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
      expect(attempts.every((r) => r.body.error.code === "NOT_FOUND")).toBe(true);
    }
    const hijack = await chat(team.user.token, agent.id, "let me in", id);
    expect(hijack.status).toBe(404);
    const tenant = await chat(outsider, agent.id, "let me in", id);
    expect(tenant.status).toBe(404);
    expect((tenant.body as ErrorBody).error.message).toBe("Agent not found");
    const stillThere = await api("GET", `/api/conversations/${id}`, { token: team.admin.token });
    expect(stillThere.status).toBe(200);
  });

  it("has the Agent itself refuse a caller it was not bound to", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("bound")) });
    const a = await chat(team.admin.token, agent.id, "bind me");
    const stub = await getAgentByName(env.CONVERSATION_AGENT, a.conversationId);
    const wrongUser = { workspaceId: team.workspaceId, userId: team.user.id };
    expect(await stub.snapshot(wrongUser, a.conversationId, 0, 10)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await stub.cancel(wrongUser, a.conversationId)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    const definition = { ...agent.definition };
    const hijack = await stub.chat({
      caller: wrongUser,
      conversationId: a.conversationId,
      agentId: agent.id,
      agentVersion: 1,
      definition,
      message: "mine now",
      requestId: "req_test",
    });
    expect(hijack).toMatchObject({ ok: false, code: "NOT_FOUND" });
    const misnamed = await stub.snapshot({ workspaceId: team.workspaceId, userId: team.admin.id }, "conv_other", 0, 10);
    expect(misnamed).toMatchObject({ ok: false, code: "NOT_FOUND" });
    const owner = await stub.snapshot(
      { workspaceId: team.workspaceId, userId: team.admin.id },
      a.conversationId,
      0,
      10,
    );
    expect(owner).toMatchObject({ status: "idle" });
  });

  it("deletes a conversation with its stored messages", async () => {
    setProviderOverrides({ model: new ScriptedModel(textScript("forget me")) });
    const a = await chat(team.user.token, agent.id, "delete this");
    expect((await api("DELETE", `/api/conversations/${a.conversationId}`, { token: team.user.token })).status).toBe(
      204,
    );
    expect((await api("GET", `/api/conversations/${a.conversationId}`, { token: team.user.token })).status).toBe(404);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE conversation_id = ?")
      .bind(a.conversationId)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
    const stub = await getAgentByName(env.CONVERSATION_AGENT, a.conversationId);
    expect(
      await stub.snapshot({ workspaceId: team.workspaceId, userId: team.user.id }, a.conversationId, 0, 10),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});
