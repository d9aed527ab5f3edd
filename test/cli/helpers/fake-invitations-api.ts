// A stand-in for the Worker's workspace and invitation routes (worker/workspaces,
// worker/invitations) with two people, Ada (admin of a team workspace) and Bob (no team yet),
// answering with their exact types and error envelope and keeping the same rules: an
// invitation is answered only by the account its email names, only while pending, never with
// an API key, and only accepting adds a membership.
import type { IncomingMessage, ServerResponse } from "node:http";
import type {
  Invitation,
  InvitationPage,
  MeResponse,
  MyInvitation,
  MyInvitationPage,
  Workspace,
  WorkspacePage,
  WorkspaceRole,
} from "@hive/shared/api-types";
import { readObject, sendError, sendJson } from "./fake-http";
import { listenLocal } from "./local-server";

const T0 = "2026-01-01T12:00:00.000Z";
const person = (id: string, email: string, name: string) => ({
  id,
  email,
  name,
  kind: "human" as const,
  platform_role: "member" as const,
  disabled: false,
  created_at: T0,
});
export const ADA = { ...person("usr_ada", "ada@example.com", "Ada"), token: "eyJ.ada-access-token" };
export const BOB = {
  ...person("usr_bob", "bob@example.com", "Bob"),
  token: "eyJ.bob-access-token",
  key: "lh_bobskey_0123456789abcdef",
};
const TEAM = { id: "ws_team", name: "Team Hive", slug: "team-hive", personal: false, owner_id: ADA.id, created_at: T0 };
const BOBS = { id: "ws_bob", name: "Bob's workspace", slug: "bob", personal: true, owner_id: BOB.id, created_at: T0 };

export interface FakeInvitationsApi {
  url: string;
  invitations: Invitation[];
  /** workspace id -> user id -> role */
  memberships: Map<string, Map<string, WorkspaceRole>>;
  close(): Promise<void>;
}

export async function startFakeInvitationsApi(): Promise<FakeInvitationsApi> {
  const memberships = new Map<string, Map<string, WorkspaceRole>>([
    [TEAM.id, new Map([[ADA.id, "admin"]])],
    [BOBS.id, new Map([[BOB.id, "admin"]])],
  ]);
  const api: FakeInvitationsApi = { url: "", invitations: [], memberships, close: async () => {} };
  const workspaces = [TEAM, BOBS];
  const home = (userId: string) => (userId === ADA.id ? TEAM : BOBS);
  let counter = 0;

  function caller(req: IncomingMessage) {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (bearer === ADA.token) return { user: ADA, via: "jwt" as const };
    if (bearer === BOB.token) return { user: BOB, via: "jwt" as const };
    if (bearer === BOB.key) return { user: BOB, via: "api_key" as const };
    return null;
  }

  const mine = (i: Invitation): MyInvitation => ({
    id: i.id,
    workspace: { id: i.workspace_id, name: workspaces.find((w) => w.id === i.workspace_id)?.name ?? "" },
    role: i.role,
    status: i.status,
    invited_by: { name: ADA.name, email: ADA.email },
    expires_at: i.expires_at,
    created_at: i.created_at,
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const route = `${req.method} ${url.pathname}`;
    const who = caller(req);
    if (!who) return sendError(res, 401, "UNAUTHENTICATED", "Authentication required");
    const { user, via } = who;

    if (route === "GET /api/auth/me") {
      const ws = home(user.id);
      const role = via === "api_key" ? "service" : (memberships.get(ws.id)?.get(user.id) ?? "admin");
      const joined = workspaces.filter((w) => memberships.get(w.id)?.has(user.id));
      const me: MeResponse = {
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          kind: user.kind,
          platform_role: user.platform_role,
          disabled: user.disabled,
          created_at: user.created_at,
        },
        workspace: { ...ws, role: via === "api_key" ? null : (memberships.get(ws.id)?.get(user.id) ?? null) },
        role,
        via,
        scopes: via === "api_key" ? ["admin"] : [],
        memberships: joined.map((w) => ({
          workspace_id: w.id,
          name: w.name,
          slug: w.slug,
          personal: w.personal,
          role: memberships.get(w.id)?.get(user.id) ?? "read_only",
        })),
      };
      return sendJson(res, 200, me);
    }
    if (route === "GET /api/workspaces") {
      const data: Workspace[] = workspaces
        .filter((w) => memberships.get(w.id)?.has(user.id))
        .map((w) => ({ ...w, role: memberships.get(w.id)?.get(user.id) ?? null }));
      return sendJson(res, 200, { data, next_cursor: null } satisfies WorkspacePage);
    }
    const sent = /^(GET|POST) \/api\/workspaces\/([^/]+)\/invitations$/.exec(route);
    const revoke = /^DELETE \/api\/workspaces\/([^/]+)\/invitations\/([^/]+)$/.exec(route);
    const wsId = sent?.[2] ?? revoke?.[1];
    if (wsId !== undefined) {
      const role = memberships.get(wsId)?.get(user.id);
      if (!role) return sendError(res, 404, "NOT_FOUND", "Workspace not found");
      if (role !== "admin") return sendError(res, 403, "FORBIDDEN", `The ${role} role may not do this`);
      if (route.startsWith("POST")) {
        const b = await readObject(req);
        const email = String(b.email ?? "")
          .trim()
          .toLowerCase();
        if (!email.includes("@"))
          return sendError(res, 400, "VALIDATION_ERROR", "Request validation failed", {
            fields: [{ path: "email", message: "Invalid email address", code: "invalid_format" }],
          });
        const now = Date.now();
        const invitation: Invitation = {
          id: `inv_fake${++counter}`,
          workspace_id: wsId,
          email,
          role: (b.role as WorkspaceRole | undefined) ?? "user",
          status: "pending",
          invited_by: user.id,
          expires_at: new Date(now + 7 * 86_400_000).toISOString(),
          responded_at: null,
          created_at: new Date(now).toISOString(),
        };
        api.invitations.unshift(invitation);
        return sendJson(res, 201, invitation);
      }
      if (revoke) {
        const found = api.invitations.find((i) => i.id === revoke[2] && i.workspace_id === wsId);
        if (!found) return sendError(res, 404, "NOT_FOUND", "Invitation not found");
        if (found.status !== "pending")
          return sendError(res, 409, "CONFLICT", `This invitation is ${found.status}`, { reason: found.status });
        found.status = "revoked";
        return sendJson(res, 204);
      }
      const status = url.searchParams.get("status");
      const data = api.invitations.filter((i) => i.workspace_id === wsId && (!status || i.status === status));
      return sendJson(res, 200, { data, next_cursor: null } satisfies InvitationPage);
    }
    const isInbox = route === "GET /api/invitations";
    const answer = /^POST \/api\/invitations\/([^/]+)\/(accept|decline)$/.exec(route);
    if ((isInbox || answer) && via === "api_key")
      return sendError(res, 403, "FORBIDDEN", "API keys cannot answer invitations");
    if (isInbox) {
      const data = api.invitations.filter((i) => i.email === user.email && i.status === "pending").map(mine);
      return sendJson(res, 200, { data, next_cursor: null } satisfies MyInvitationPage);
    }
    if (answer) {
      const found = api.invitations.find((i) => i.id === answer[1] && i.email === user.email);
      if (!found) return sendError(res, 404, "NOT_FOUND", "Invitation not found");
      if (found.status !== "pending")
        return sendError(res, 409, "CONFLICT", `This invitation is ${found.status}`, { reason: found.status });
      found.status = answer[2] === "accept" ? "accepted" : "declined";
      found.responded_at = new Date().toISOString();
      if (found.status === "accepted") memberships.get(found.workspace_id)?.set(user.id, found.role);
      return sendJson(res, 200, mine(found));
    }
    sendError(res, 404, "NOT_FOUND", `No route for ${route}`);
  }

  const server = await listenLocal((req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, 500, "INTERNAL", String(err)));
  });
  return Object.assign(api, server);
}
