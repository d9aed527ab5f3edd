// The conversation WebSocket (/agents/conversation-agent/:id, the agents SDK protocol): refused
// without a valid conversation-bound token or a same-origin session, refused by the Agent
// itself when reached directly, and when accepted it streams state and chat events, read-only.
// A socket opened before a sign-out, a disabled user, a revoked key, a removed membership or a
// demotion is closed within a few seconds (4401/4403 with a reason), and reconnecting is refused.
import { env, SELF } from "cloudflare:test";
import { getAgentByName } from "agents";
import { SignJWT } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import type { Conversation, SocketToken } from "../../worker/conversations/schemas";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { chat, createAgent } from "./helpers/chat";
import { type Closed, closeOf, expectClosed, expectStillOpen } from "./helpers/closing-sockets";
import {
  type ApiOptions,
  adminToken,
  api,
  apiKey,
  BASE,
  createTeam,
  createUser,
  DASHBOARD_ORIGIN,
  expectStatus,
  login,
  type TestUser,
  token,
} from "./helpers/harness";
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

const upgrade = (path: string, headers: Record<string, string> = {}) =>
  SELF.fetch(`${BASE}${path}`, { headers: { Upgrade: "websocket", ...headers } });

const socketToken = async (id = conversationId) =>
  expectStatus<SocketToken>(200, "POST", `/api/conversations/${id}/socket-token`, { token: access });

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
function collect(
  ws: WebSocket,
  until: (m: Record<string, unknown>) => boolean,
  timeoutMs = 3000,
): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`socket: no matching message; saw ${JSON.stringify(seen.map((m) => m.type))}`)),
      timeoutMs,
    );
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
    const res = await stub.fetch(
      new Request(`${BASE}/agents/conversation-agent/${conversationId}`, { headers: { Upgrade: "websocket" } }),
    );
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
    const first = (await state).find((m) => m.type === "cf_agent_state") as {
      state: { status: string; conversationId: string };
    };
    expect(first.state).toMatchObject({ status: "idle", conversationId });

    ws.send(
      JSON.stringify({ type: "cf_agent_state", state: { ...first.state, status: "running", userId: "usr_attacker" } }),
    );
    setProviderOverrides({ model: new ScriptedModel(textScript("live to the socket")) });
    const events = collect(ws, (m) => m.type === "lh_chat_event" && (m.event as { type: string }).type === "done");
    await chat(access, agent.id, "are you streaming?", conversationId);
    const chatEvents = (await events)
      .filter((m) => m.type === "lh_chat_event")
      .map((m) => (m.event as { type: string }).type);
    expect(chatEvents[0]).toBe("start");
    expect(chatEvents).toContain("token");
    expect(chatEvents.at(-1)).toBe("done");
    ws.close();

    const stub = await getAgentByName(env.CONVERSATION_AGENT, conversationId);
    const snap = await stub.snapshot(
      { workspaceId: owner.personalWorkspaceId, userId: owner.id },
      conversationId,
      0,
      1,
    );
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

// ---- Revocation: sockets opened before it are closed, and stay shut.

interface OpenSocket {
  ws: WebSocket;
  closed: Promise<Closed>;
}

/** Opens a socket and waits for the Agent's state, so it is known to work before the revocation. */
async function openSocket(path: string, headers: Record<string, string> = {}): Promise<OpenSocket> {
  const res = await upgrade(path, headers);
  expect(res.status).toBe(101);
  const ws = res.webSocket as WebSocket;
  const closed = closeOf(ws);
  const state = collect(ws, (m) => m.type === "cf_agent_state");
  ws.accept();
  await state;
  return { ws, closed };
}

/** A user with an agent and a conversation opened ahead (no model call needed). */
async function conversationOf(access: string): Promise<string> {
  const a = await createAgent(access);
  return (
    await expectStatus<Conversation>(201, "POST", `/api/agents/${a.id}/conversations`, { token: access, body: {} })
  ).id;
}

const mint = (id: string, auth: ApiOptions) =>
  expectStatus<SocketToken>(200, "POST", `/api/conversations/${id}/socket-token`, auth);

/** A new user's conversation and a socket on it opened with a token minted by `credential` (default: an access token). */
async function ownSocket(credential?: (access: string) => Promise<string>) {
  const user = await createUser();
  const access = (await token(user.email, user.password)).access_token;
  const id = await conversationOf(access);
  const minted = await mint(id, { token: credential ? await credential(access) : access });
  return { user, access, id, minted, socket: await openSocket(minted.url) };
}

async function expectRefused(path: string, status: number, headers: Record<string, string> = {}) {
  const res = await upgrade(path, headers);
  expect(res.status).toBe(status);
  expect(res.webSocket).toBeNull();
}

describe("conversation sockets after revocation", { timeout: 20_000 }, () => {
  it("sign-out ends the session's sockets (cookie and the tokens it minted) but not another session's; neither reconnects", async () => {
    const user = await createUser();
    const id = await conversationOf((await token(user.email, user.password)).access_token);
    const path = `/agents/conversation-agent/${id}`;
    const [cookie, otherCookie] = [await login(user.email, user.password), await login(user.email, user.password)];
    const minted = await mint(id, { cookie });
    const byCookie = await openSocket(path, { Cookie: cookie, Origin: DASHBOARD_ORIGIN });
    const byToken = await openSocket(minted.url);
    const otherSession = await openSocket(path, { Cookie: otherCookie, Origin: DASHBOARD_ORIGIN });

    const since = Date.now();
    await expectStatus(204, "POST", "/api/auth/logout", { cookie });
    await expectClosed(byCookie.closed, since, 4401, "credential revoked");
    await expectClosed(byToken.closed, since, 4401, "credential revoked");

    await expectRefused(path, 401, { Cookie: cookie, Origin: DASHBOARD_ORIGIN });
    await expectRefused(minted.url, 401);
    // The other session was re-checked since and is still open.
    await expectStillOpen(otherSession.ws);
  });

  it("an API client's sign-out (bearer) ends the sockets opened with its tokens", async () => {
    const { access, id, minted, socket } = await ownSocket();

    const since = Date.now();
    await expectStatus(204, "POST", "/api/auth/logout", { token: access });
    await expectClosed(socket.closed, since, 4401, "credential revoked");
    await expectRefused(minted.url, 401);
    expect((await api("POST", `/api/conversations/${id}/socket-token`, { token: access })).status).toBe(401);
  });

  it("disabling the user closes their sockets; their tokens open nothing", async () => {
    const { user, minted, socket } = await ownSocket();

    const since = Date.now();
    await expectStatus(200, "PATCH", `/api/users/${user.id}`, { token: await adminToken(), body: { disabled: true } });
    await expectClosed(socket.closed, since, 4401, "user disabled");
    await expectRefused(minted.url, 401);
  });

  it("revoking an API key closes the sockets opened with it", async () => {
    let key = { id: "", key: "" };
    const { access, id, minted, socket } = await ownSocket(
      async (access) => (key = await apiKey(access, ["chat"])).key,
    );

    const since = Date.now();
    await expectStatus(204, "DELETE", `/api/keys/${key.id}`, { token: access });
    await expectClosed(socket.closed, since, 4401, "credential revoked");
    await expectRefused(minted.url, 401);
    expect((await api("POST", `/api/conversations/${id}/socket-token`, { token: key.key })).status).toBe(401);
  });

  it("removing the member from the workspace closes their sockets there; their tokens open nothing", async () => {
    const team = await createTeam();
    const id = await conversationOf(team.user.token);
    const minted = await mint(id, { token: team.user.token });
    const socket = await openSocket(minted.url);

    const since = Date.now();
    await expectStatus(204, "DELETE", `/api/workspaces/${team.workspaceId}/members/${team.user.id}`, {
      token: team.admin.token,
    });
    await expectClosed(socket.closed, since, 4403, "removed from the workspace");
    await expectRefused(minted.url, 403);
  });

  it("a demotion that takes the key's chat scope away closes the key's sockets", async () => {
    const team = await createTeam();
    const id = await conversationOf(team.user.token);
    const key = await apiKey(team.user.token, ["chat"]);
    const socket = await openSocket((await mint(id, { token: key.key })).url);

    const since = Date.now();
    await expectStatus(200, "PATCH", `/api/workspaces/${team.workspaceId}/members/${team.user.id}`, {
      token: team.admin.token,
      body: { role: "read_only" },
    });
    await expectClosed(socket.closed, since, 4403, "no longer permitted");
  });
});
