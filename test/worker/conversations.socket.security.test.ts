// The conversation WebSocket (/agents/conversation-agent/:id, the agents SDK protocol): refused
// without a valid conversation-bound token or a same-origin session, refused by the Agent
// itself when reached directly, and when accepted it streams state and chat events, read-only.
import { env, SELF } from "cloudflare:test";
import { getAgentByName } from "agents";
import { SignJWT } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import type { SocketToken } from "../../worker/conversations/schemas";
import { chat, createAgent } from "./helpers/chat";
import { BASE, createUser, DASHBOARD_ORIGIN, expectStatus, login, token, type TestUser } from "./helpers/harness";
import { ScriptedModel, textScript } from "./helpers/scripted-model";

let owner: TestUser;
let access: string;
let agent: Agent;
let conversationId: string;

beforeAll(async () => {
  owner = await createUser();
  access = (await token(owner.email, owner.password)).access_token;
  agent = await createAgent(access);
  setProviderOverrides({ model: new ScriptedModel(textScript("first")) });
  conversationId = (await chat(access, agent.id, "open a conversation")).conversationId;
});

afterEach(() => clearProviderOverrides());

const upgrade = (path: string, headers: Record<string, string> = {}) => SELF.fetch(`${BASE}${path}`, { headers: { Upgrade: "websocket", ...headers } });

const socketToken = async (id = conversationId) => expectStatus<SocketToken>(200, "POST", `/api/conversations/${id}/socket-token`, { token: access });

async function forgedSocketToken(claims: { exp: number; cid: string; aud?: string }): Promise<string> {
  const [kid, secret] = (env.JWT_KEYS ?? "").split(",")[0]?.split(":") ?? [];
  const iat = Math.floor(Date.now() / 1000) - 120;
  return new SignJWT({ wid: owner.personalWorkspaceId, cid: claims.cid })
    .setProtectedHeader({ alg: "HS256", kid: kid ?? "", typ: "JWT" })
    .setSubject(owner.id)
    .setJti("sck_forged")
    .setIssuedAt(iat)
    .setExpirationTime(claims.exp)
    .setIssuer("liquid-hive")
    .setAudience(claims.aud ?? "liquid-hive-api:agent-socket")
    .sign(new TextEncoder().encode(secret ?? ""));
}

/** Collects JSON messages from an accepted socket until `until` matches one. */
function collect(ws: WebSocket, until: (m: Record<string, unknown>) => boolean, timeoutMs = 3000): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket: no matching message; saw ${JSON.stringify(seen.map((m) => m.type))}`)), timeoutMs);
    ws.addEventListener("message", (e) => {
      const m = JSON.parse(String(e.data)) as Record<string, unknown>;
      seen.push(m);
      if (until(m)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

describe("conversation WebSocket", () => {
  it("refuses a socket with no credentials, a bad token, an expired token or another conversation's token", async () => {
    const path = `/agents/conversation-agent/${conversationId}`;
    const expired = await forgedSocketToken({ cid: conversationId, exp: Math.floor(Date.now() / 1000) - 60 });
    const otherConversation = await forgedSocketToken({ cid: "conv_other", exp: Math.floor(Date.now() / 1000) + 60 });
    const results = [
      await upgrade(path),
      await upgrade(`${path}?token=not-a-token`),
      await upgrade(`${path}?token=${expired}`),
      await upgrade(`${path}?token=${otherConversation}`),
      // An access token is for the API, not for sockets (different audience).
      await upgrade(`${path}?token=${access}`),
    ];
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(results.every((r) => r.webSocket === null)).toBe(true);
  });

  it("is refused by the Agent itself when reached without a token, even past the Worker", async () => {
    const stub = await getAgentByName(env.CONVERSATION_AGENT, conversationId);
    const res = await stub.fetch(new Request(`${BASE}/agents/conversation-agent/${conversationId}`, { headers: { Upgrade: "websocket" } }));
    expect(res.status).toBe(401);
    expect(res.webSocket).toBeNull();
  });

  it("routes only the conversation Agent, never other Durable Objects", async () => {
    const { token: t } = await socketToken();
    for (const cls of ["rate-limiter", "vector-index", "counters"]) {
      const res = await upgrade(`/agents/${cls}/${conversationId}?token=${t}`);
      expect(res.status).toBe(404);
    }
  });

  it("accepts a fresh token, sends the state, then streams chat events; the socket cannot write state", async () => {
    const { url } = await socketToken();
    const res = await upgrade(url);
    expect(res.status).toBe(101);
    const ws = res.webSocket as WebSocket;
    ws.accept();
    const state = collect(ws, (m) => m.type === "cf_agent_state");
    const first = (await state).find((m) => m.type === "cf_agent_state") as { state: { status: string; conversationId: string } };
    expect(first.state).toMatchObject({ status: "idle", conversationId });

    ws.send(JSON.stringify({ type: "cf_agent_state", state: { ...first.state, status: "running", userId: "usr_attacker" } }));
    setProviderOverrides({ model: new ScriptedModel(textScript("live to the socket")) });
    const events = collect(ws, (m) => m.type === "lh_chat_event" && (m.event as { type: string }).type === "done");
    await chat(access, agent.id, "are you streaming?", conversationId);
    const chatEvents = (await events).filter((m) => m.type === "lh_chat_event").map((m) => (m.event as { type: string }).type);
    expect(chatEvents[0]).toBe("start");
    expect(chatEvents).toContain("token");
    expect(chatEvents.at(-1)).toBe("done");
    ws.close();

    const stub = await getAgentByName(env.CONVERSATION_AGENT, conversationId);
    const snap = await stub.snapshot({ workspaceId: owner.personalWorkspaceId, userId: owner.id }, conversationId, 0, 1);
    expect(snap).toMatchObject({ status: "idle" });
  });

  it("accepts the dashboard's session cookie from its own origin only", async () => {
    const cookie = await login(owner.email, owner.password);
    const path = `/agents/conversation-agent/${conversationId}`;
    const ok = await upgrade(path, { Cookie: cookie, Origin: DASHBOARD_ORIGIN });
    expect(ok.status).toBe(101);
    (ok.webSocket as WebSocket).accept();
    (ok.webSocket as WebSocket).close();
    const crossSite = await upgrade(path, { Cookie: cookie, Origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    const noOrigin = await upgrade(path, { Cookie: cookie });
    expect(noOrigin.status).toBe(403);
  });
});
