// THE permission table. Every route the Worker answers is listed here, keyed by
// "METHOD /hono/path/:param". The `authorize` middleware looks up the matched route and
// denies anything not in the table (deny by default), so a route cannot be reached unless it
// is declared here. Tests walk this table against every principal.
import type { Role, Scope } from "./principal";

export type Rule =
  /** Anyone, signed in or not. */
  | { access: "public" }
  /** Any signed-in principal (any role), e.g. /api/auth/me. */
  | { access: "authenticated" }
  /** A role in the current workspace; API keys (role "service") also need `scope`. */
  | { access: "workspace"; roles: readonly Role[]; scope?: Scope }
  /** Platform administrators only (cross-workspace; every use is audited). */
  | { access: "platform_admin" };

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "ALL";
export type RouteKey = `${Method} /${string}`;

const PUBLIC = { access: "public" } as const;
const SIGNED_IN = { access: "authenticated" } as const;
const PLATFORM = { access: "platform_admin" } as const;
const read = (scope: Scope) =>
  ({ access: "workspace", roles: ["admin", "user", "read_only", "service"], scope }) as const;
const write = (scope: Scope) => ({ access: "workspace", roles: ["admin", "user", "service"], scope }) as const;
const adminOnly = (scope: Scope = "admin") => ({ access: "workspace", roles: ["admin", "service"], scope }) as const;
const ANY_MEMBER = { access: "workspace", roles: ["admin", "user", "read_only", "service"] } as const;
const PEOPLE = { access: "workspace", roles: ["admin", "user", "read_only"] } as const;
/** Workspace admins and read-only reviewers; plain users do not read the audit trail. */
const AUDITORS = { access: "workspace", roles: ["admin", "read_only", "service"], scope: "audit:read" } as const;
/** Like the audit trail: events quote (redacted) other members' private conversations; plain users do not list them. */
const SAFETY_REVIEWERS = { access: "workspace", roles: ["admin", "read_only", "service"], scope: "safety" } as const;

export const PERMISSIONS = {
  // core
  "GET /health": PUBLIC,
  "GET /ready": PUBLIC,
  "GET /api/openapi.json": PUBLIC,
  "GET /api/docs": PUBLIC,
  // platform administration
  "GET /api/admin/config": PLATFORM,
  // The model price table usage is costed from (worker/usage/prices.ts).
  "GET /api/admin/model-prices": PLATFORM,
  "PUT /api/admin/model-prices/:provider/:model": PLATFORM,
  "DELETE /api/admin/model-prices/:provider/:model": PLATFORM,
  "GET /metrics": PLATFORM,
  "GET /api/flags": PLATFORM,
  "GET /api/flags/:key": PLATFORM,
  "PUT /api/flags/:key": PLATFORM,
  "DELETE /api/flags/:key": PLATFORM,
  "GET /api/flags/:key/decision": SIGNED_IN,
  // identity: sign-in, tokens, accounts, workspaces, API keys, audit (worker/auth, users, workspaces, keys, audit)
  "POST /api/auth/signup": PUBLIC,
  "POST /api/auth/login": PUBLIC,
  "POST /api/auth/logout": PUBLIC,
  "POST /api/auth/token": PUBLIC,
  "POST /api/auth/refresh": PUBLIC,
  "GET /api/auth/me": SIGNED_IN,
  "POST /api/auth/password": SIGNED_IN,
  "GET /api/auth/sessions": SIGNED_IN,
  "DELETE /api/auth/sessions/:id": SIGNED_IN,
  "PUT /api/auth/workspace": SIGNED_IN,
  "GET /api/users": PLATFORM,
  "POST /api/users": PLATFORM,
  "GET /api/users/:id": PLATFORM,
  "PATCH /api/users/:id": PLATFORM,
  "GET /api/admin/workspaces": PLATFORM,
  "GET /api/admin/workspaces/:id/members": PLATFORM,
  "GET /api/workspaces": SIGNED_IN,
  "POST /api/workspaces": SIGNED_IN,
  // Under /api/workspaces/:id the path is the request's workspace, so these roles are held there.
  "GET /api/workspaces/:id": ANY_MEMBER,
  "PATCH /api/workspaces/:id": adminOnly(),
  "DELETE /api/workspaces/:id": adminOnly(),
  "GET /api/workspaces/:id/members": read("admin"),
  "PATCH /api/workspaces/:id/members/:userId": adminOnly(),
  "DELETE /api/workspaces/:id/members/:userId": adminOnly(),
  // Nobody is added to a workspace: admins invite an email, and the person signed in with it accepts (worker/invitations).
  "POST /api/workspaces/:id/invitations": adminOnly(),
  "GET /api/workspaces/:id/invitations": adminOnly(),
  // The workspace's default safety policy (worker/safety/policy-routes.ts): members read it, admins change it.
  "GET /api/workspaces/:id/safety-policy": read("safety"),
  "PUT /api/workspaces/:id/safety-policy": adminOnly(),
  "DELETE /api/workspaces/:id/safety-policy": adminOnly(),
  "DELETE /api/workspaces/:id/invitations/:invitationId": adminOnly(),
  // The workspace's monthly model budget (worker/usage): its admins read and set it; members see it in GET /api/usage.
  "GET /api/workspaces/:id/budget": adminOnly(),
  "PUT /api/workspaces/:id/budget": adminOnly(),
  // The invitee's own; the handlers refuse API keys and match the account's email.
  "GET /api/invitations": SIGNED_IN,
  "POST /api/invitations/:id/accept": SIGNED_IN,
  "POST /api/invitations/:id/decline": SIGNED_IN,
  // People manage their own keys (admins every key); a key needs the admin scope to see or revoke keys and never creates one.
  "GET /api/keys": read("admin"),
  "GET /api/keys/:id": read("admin"),
  "POST /api/keys": PEOPLE,
  "DELETE /api/keys/:id": read("admin"),
  "GET /api/audit": AUDITORS,
  // monitoring (worker/monitoring): every member reads the workspace's figures; agent rows only for agents they may see
  "GET /api/monitoring": read("agents:read"),
  // agents: definitions and versions (worker/agents); owners and admins edit, see access.ts
  "GET /api/agents": read("agents:read"),
  "POST /api/agents": write("agents:write"),
  "GET /api/agents/:id": read("agents:read"),
  "PATCH /api/agents/:id": write("agents:write"),
  "DELETE /api/agents/:id": write("agents:write"),
  "GET /api/agents/:id/versions": read("agents:read"),
  "POST /api/agents/:id/versions/:version/rollback": write("agents:write"),
  // chat and conversations (worker/chat, worker/conversations); a conversation is its owner's alone
  "POST /api/agents/:id/chat": write("chat"),
  "POST /api/agents/:id/conversations": write("chat"),
  "GET /api/conversations": read("chat"),
  "GET /api/conversations/:id": read("chat"),
  "DELETE /api/conversations/:id": write("chat"),
  "POST /api/conversations/:id/cancel": write("chat"),
  "POST /api/conversations/:id/approvals/:callId": write("chat"),
  "POST /api/conversations/:id/socket-token": read("chat"),
  // The handler authenticates: a conversation-bound socket token, or the session cookie from the dashboard origin.
  "GET /agents/:agent/:name": PUBLIC,
  // knowledge bases, documents and retrieval (worker/knowledge); owners and admins change or delete a knowledge base and its documents
  "GET /api/knowledge-bases": read("knowledge:read"),
  "POST /api/knowledge-bases": write("knowledge:write"),
  "GET /api/knowledge-bases/:id": read("knowledge:read"),
  "PATCH /api/knowledge-bases/:id": write("knowledge:write"),
  "DELETE /api/knowledge-bases/:id": write("knowledge:write"),
  "GET /api/knowledge-bases/:id/documents": read("knowledge:read"),
  "POST /api/knowledge-bases/:id/documents": write("knowledge:write"),
  "POST /api/knowledge-bases/:id/documents/batch": write("knowledge:write"),
  "GET /api/knowledge-bases/:id/ingestion": read("knowledge:read"),
  "GET /api/knowledge-bases/:id/documents/:docId": read("knowledge:read"),
  "GET /api/knowledge-bases/:id/documents/:docId/original": read("knowledge:read"),
  "PUT /api/knowledge-bases/:id/documents/:docId": write("knowledge:write"),
  "DELETE /api/knowledge-bases/:id/documents/:docId": write("knowledge:write"),
  "POST /api/knowledge-bases/:id/documents/fetch": write("knowledge:write"),
  "POST /api/knowledge-bases/:id/documents/:docId/refetch": write("knowledge:write"),
  "POST /api/knowledge-bases/:id/search": read("knowledge:read"),
  "POST /v1/embeddings": read("knowledge:read"),
  // OpenAI-compatible API (worker/openai): model = an agent id or a raw model id
  "POST /v1/chat/completions": write("chat"),
  "GET /v1/models": read("agents:read"),
  // MCP server (worker/mcp); each tool also applies the rule of the HTTP route it mirrors
  "POST /mcp": read("agents:read"),
  // swarm runs (worker/swarm): every member reads the workspace's runs; the creator or an admin cancels (checked in the handler)
  "POST /api/swarm/runs": write("swarm"),
  "GET /api/swarm/runs": read("swarm"),
  "GET /api/swarm/runs/:id": read("swarm"),
  "POST /api/swarm/runs/:id/cancel": write("swarm"),
  "POST /api/swarm/runs/:id/socket-token": read("swarm"),
  // The handler authenticates: a run-bound socket token, the session cookie from the dashboard origin, or a bearer credential.
  "GET /api/swarm/runs/:id/events": PUBLIC,
  // evaluation runs (worker/evals): every member reads them; admins and users start them, the creator or an admin cancels (checked in the handler)
  "POST /api/evals/runs": write("evals"),
  "GET /api/evals/runs": read("evals"),
  "GET /api/evals/runs/:id": read("evals"),
  "GET /api/evals/runs/:id/results": read("evals"),
  "GET /api/evals/runs/:id/events": read("evals"),
  "POST /api/evals/runs/:id/cancel": write("evals"),
  "GET /api/evals/compare": read("evals"),
  // safety (worker/safety): the playground checks without writing events; events are for reviewers
  "POST /api/safety/check": read("safety"),
  "GET /api/safety/events": SAFETY_REVIEWERS,
  // evaluation datasets (worker/evals): every member reads them; admins and users change them
  "GET /api/evals/datasets": read("evals"),
  "POST /api/evals/datasets": write("evals"),
  "GET /api/evals/datasets/:id": read("evals"),
  "PATCH /api/evals/datasets/:id": write("evals"),
  "DELETE /api/evals/datasets/:id": write("evals"),
  "GET /api/evals/datasets/:id/cases": read("evals"),
  "POST /api/evals/datasets/:id/cases": write("evals"),
  "PUT /api/evals/datasets/:id/cases/:caseId": write("evals"),
  "DELETE /api/evals/datasets/:id/cases/:caseId": write("evals"),
  "POST /api/evals/datasets/:id/cases/from-conversation": write("evals"),
  "POST /api/evals/datasets/:id/import": write("evals"),
  "GET /api/evals/datasets/:id/export": read("evals"),
  // usage and cost (worker/usage): every member reads the workspace's spend; by user only its admins (checked in the handler)
  "GET /api/usage": read("agents:read"),
  // traces (worker/traces): read like the audit trail; traces outside any workspace are for platform admins (handler)
  "GET /api/traces": AUDITORS,
  "GET /api/traces/:traceId": AUDITORS,
} as const satisfies Record<RouteKey, Rule>;

export type PermissionTable = Record<string, Rule>;
/**
 * PERMISSIONS typed for lookup by any "METHOD /path" string.
 * @alias
 */
export const permissionTable: PermissionTable = PERMISSIONS;

/** Compiles a Hono path ("/api/agents/:id") to a matcher for 405 detection. */
function pathRegex(path: string): RegExp {
  const body = path
    .split("/")
    .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg === "*" ? ".*" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${body}/?$`);
}

const compiled = Object.keys(permissionTable).map((key) => {
  const [method, path] = key.split(" ", 2) as [Method, string];
  return { method, path, re: pathRegex(path) };
});

/** Methods declared for a concrete path, e.g. to answer 405 with an Allow header. */
export function allowedMethods(pathname: string): string[] {
  const methods = new Set<string>();
  for (const r of compiled) if (r.re.test(pathname)) methods.add(r.method);
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods];
}
