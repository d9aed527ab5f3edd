// The fuzz run's world, built through the public API: a team workspace with an admin and a
// member, an API key, a dashboard session, agents, a knowledge base with a document, an open
// conversation and a flag. Their ids seed the path parameters so fuzzed requests also get past
// the lookups into the handlers. Works over any fetch (SELF.fetch in workerd, fetch in Node).
import type { FuzzContext } from "./requests";

export type Fetcher = (path: string, init: RequestInit) => Promise<Response>;

export interface Account {
  email: string;
  password: string;
}

async function json<T>(
  fetcher: Fetcher,
  method: string,
  path: string,
  body: unknown,
  bearer?: string,
  expected = [200, 201, 202],
): Promise<T> {
  const res = await fetcher(path, {
    method,
    headers: { "Content-Type": "application/json", ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!expected.includes(res.status))
    throw new Error(`fuzz fixture: ${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

interface Token {
  access_token: string;
  workspace_id: string;
}

export async function buildFuzzContext(fetcher: Fetcher, platformAdmin: Account, origin: string): Promise<FuzzContext> {
  const post = <T>(path: string, body: unknown, bearer?: string) => json<T>(fetcher, "POST", path, body, bearer);
  const tokenFor = (a: Account, workspaceId?: string) =>
    post<Token>("/api/auth/token", { ...a, ...(workspaceId ? { workspace_id: workspaceId } : {}) });
  const platform = await tokenFor(platformAdmin);
  const suffix = crypto.randomUUID().slice(0, 8);
  const people = {
    admin: { email: `fuzz-admin-${suffix}@example.test`, password: "fuzz-admin-password-1" },
    member: { email: `fuzz-member-${suffix}@example.test`, password: "fuzz-member-password-1" },
  };
  const createAccount = (account: Account, name: string) =>
    post<{ id: string }>("/api/users", { ...account, name }, platform.access_token);
  const adminUser = await createAccount(people.admin, "Fuzz Admin");
  const memberUser = await createAccount(people.member, "Fuzz Member");
  const ws = await post<{ id: string }>(
    "/api/workspaces",
    { name: "Fuzz team" },
    (await tokenFor(people.admin)).access_token,
  );
  const admin = (await tokenFor(people.admin, ws.id)).access_token;
  // People join by invitation: the member accepts theirs; a second one stays pending for the fuzzer.
  const invite = (email: string, role: string) =>
    post<{ id: string }>(`/api/workspaces/${ws.id}/invitations`, { email, role }, admin);
  const invited = await invite(people.member.email, "user");
  await post(`/api/invitations/${invited.id}/accept`, {}, (await tokenFor(people.member)).access_token);
  const pending = await invite(`fuzz-invitee-${suffix}@example.test`, "read_only");
  const member = (await tokenFor(people.member, ws.id)).access_token;
  const key = await post<{ id: string; key: string }>(
    "/api/keys",
    {
      name: "fuzz key",
      scopes: ["agents:read", "agents:write", "chat", "knowledge:read", "knowledge:write", "swarm", "safety"],
    },
    admin,
  );

  const login = await fetcher("/api/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(people.admin),
  });
  const cookie = /__Host-lh_session=[^;,\s]+/.exec(login.headers.get("Set-Cookie") ?? "")?.[0];
  await login.text();
  if (login.status !== 200 || !cookie) throw new Error(`fuzz fixture: login answered ${login.status}`);

  const shared = await post<{ id: string }>("/api/agents", { name: "Fuzz shared agent" }, admin);
  const privateAgent = await post<{ id: string }>(
    "/api/agents",
    { name: "Fuzz private agent", visibility: "private" },
    member,
  );
  const kb = await post<{ id: string }>("/api/knowledge-bases", { name: "Fuzz KB" }, admin);
  const doc = await post<{ id: string }>(
    `/api/knowledge-bases/${kb.id}/documents`,
    { name: "fuzz.txt", content: "The printer is on the second floor, next to the kitchen." },
    admin,
  );
  const conversation = await post<{ id: string }>(`/api/agents/${shared.id}/conversations`, {}, member);
  await json(fetcher, "PUT", "/api/flags/fuzz-flag", { enabled: true }, platform.access_token);

  const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
  return {
    origin,
    principals: [
      { name: "none", headers: {} },
      { name: "garbage", headers: { Authorization: "Bearer not-a-real-token" } },
      { name: "member", headers: bearer(member) },
      { name: "admin", headers: bearer(admin) },
      { name: "apiKey", headers: bearer(key.key) },
      { name: "cookie", headers: { Cookie: cookie } },
      { name: "platformAdmin", headers: bearer(platform.access_token) },
    ],
    ids: {
      id: [shared.id, privateAgent.id, kb.id, conversation.id, ws.id, key.id, memberUser.id, pending.id],
      invitationId: [pending.id],
      docId: [doc.id],
      userId: [memberUser.id, adminUser.id],
      key: ["fuzz-flag"],
      version: ["1"],
      agent: ["conversation-agent"],
      name: [conversation.id],
      callId: ["call_fuzz"],
    },
    protectedIds: new Set([ws.id, key.id, memberUser.id, adminUser.id, platform.workspace_id]),
  };
}
