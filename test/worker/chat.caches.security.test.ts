// The chat path's isolate caches (agent definitions, conversation owners; see
// worker/core/isolate-cache.ts): an edit, deletion or visibility change made through the API
// holds on the very next chat, and a cached entry never lets anyone else in.
import { afterEach, describe, expect, it } from "vitest";
import type { Conversation } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat, createAgent } from "./helpers/chat";
import { addMember, api, createTeam, createUser, type ErrorBody, expectStatus, token } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

afterEach(() => clearProviderOverrides());
const answer = () => setProviderOverrides({ model: new ScriptedModel(textScript("ok")) });

describe("chat caches", () => {
  it("runs an edited agent's new version on the next message", async () => {
    const team = await createTeam();
    const agent = await createAgent(team.user.token, { name: "Editable" });
    answer();
    const first = await chat(team.user.token, agent.id, "one");
    expect(first.events[0]).toMatchObject({ type: "start", agent_version: 1 });
    await expectStatus(200, "PATCH", `/api/agents/${agent.id}`, {
      token: team.user.token,
      body: { system_prompt: "Be brief." },
    });
    const second = await chat(team.user.token, agent.id, "two", first.conversationId);
    expect(second.events[0]).toMatchObject({ type: "start", agent_version: 2 });
    const fresh = await chat(team.user.token, agent.id, "three");
    expect(fresh.events[0]).toMatchObject({ type: "start", agent_version: 2 });
  });

  it("refuses a deleted agent at once, even right after chatting with it", async () => {
    const team = await createTeam();
    const agent = await createAgent(team.user.token, { name: "Doomed" });
    answer();
    expect((await chat(team.user.token, agent.id, "hello")).status).toBe(200);
    await expectStatus(204, "DELETE", `/api/agents/${agent.id}`, { token: team.user.token });
    const r = await chat(team.user.token, agent.id, "still there?");
    expect(r.status).toBe(404);
    expect((r.body as ErrorBody).error.code).toBe("NOT_FOUND");
  });

  it("keeps a private agent from other members although its owner's chat cached it", async () => {
    const team = await createTeam();
    const agent = await createAgent(team.user.token, { name: "Mine", visibility: "private" });
    answer();
    expect((await chat(team.user.token, agent.id, "hi")).status).toBe(200);
    const colleague = await createUser();
    await addMember(team.admin.token, team.workspaceId, colleague, "user");
    const colleagueToken = (await token(colleague.email, colleague.password, team.workspaceId)).access_token;
    const other = await chat(colleagueToken, agent.id, "let me in");
    expect(other.status).toBe(404);
    // The workspace admin sees every agent of the workspace.
    expect((await chat(team.admin.token, agent.id, "admin here")).status).toBe(200);
  });

  it("keeps a conversation to its owner and its agent", async () => {
    const team = await createTeam();
    const agent = await createAgent(team.user.token, { name: "Shared", visibility: "workspace" });
    const another = await createAgent(team.user.token, { name: "Another", visibility: "workspace" });
    answer();
    const mine = await chat(team.user.token, agent.id, "private thoughts");
    expect(mine.status).toBe(200);
    const intruder = await chat(team.admin.token, agent.id, "reading along", mine.conversationId);
    expect(intruder.status).toBe(404);
    const wrongAgent = await chat(team.user.token, another.id, "switching", mine.conversationId);
    expect(wrongAgent.status).toBe(409);
    expect((wrongAgent.body as ErrorBody).error).toMatchObject({ code: "CONFLICT", details: { agent_id: agent.id } });
    const made = `conv_${"A".repeat(20)}`;
    expect((await chat(team.user.token, agent.id, "guessing", made)).status).toBe(404);
  });

  it("lists a new conversation as soon as its answer ends, and forgets a deleted one", async () => {
    const team = await createTeam();
    const agent = await createAgent(team.user.token, { name: "Lister" });
    answer();
    const r = await chat(team.user.token, agent.id, "Title   of\nthe chat");
    const page = await expectStatus<{ data: Conversation[] }>(200, "GET", "/api/conversations", {
      token: team.user.token,
    });
    expect(page.data.map((c) => [c.id, c.title, c.agent_version])).toEqual([
      [r.conversationId, "Title of the chat", 1],
    ]);
    await expectStatus(204, "DELETE", `/api/conversations/${r.conversationId}`, { token: team.user.token });
    const again = await chat(team.user.token, agent.id, "are you there?", r.conversationId);
    expect(again.status).toBe(404);
    expect((await api("GET", `/api/conversations/${r.conversationId}`, { token: team.user.token })).status).toBe(404);
  });
});
