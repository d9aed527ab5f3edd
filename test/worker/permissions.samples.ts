// One sample request per route in the permission table (worker/core/permissions.ts). The
// matrix test (permissions.security.test.ts) fails for any table route without a sample here,
// so every new route is walked against every principal. Add yours when you add a route.
//
// `path` and `body` may use the caller: {ws} is the workspace its requests act in, {me} its
// user id. `status` is what an allowed caller gets; `overrides` names callers the handler
// treats differently (e.g. API keys refused by "people only" routes).
import type { Caller, PrincipalName } from "./permissions.principals";

export interface RouteSample {
  path: string;
  body?: unknown | ((caller: Caller) => unknown);
  status: number;
  overrides?: Partial<Record<PrincipalName, number>>;
  /** Destructive for the caller's workspace: run against a fixture of its own. */
  fresh?: boolean;
  /** Ends the caller's tokens (sign-out): new ones are minted afterwards. */
  reauth?: boolean;
}

const KEYS_REFUSED = { keyWithScope: 403, keyWithoutScope: 403 } as const;
const unique = () => `matrix-${crypto.randomUUID().slice(0, 8)}@example.test`;

type UnknownIdSample = Omit<RouteSample, "path" | "status"> & { status?: number };

/**
 * Samples for routes called with ids that do not exist, so allowed callers reach the handler's
 * 404 (unless `status` says otherwise): each `:param` of the route key becomes `ids[param]`.
 */
function withUnknownIds(
  ids: Record<string, string>,
  routes: Record<string, UnknownIdSample>,
): Record<string, RouteSample> {
  return Object.fromEntries(
    Object.entries(routes).map(([route, sample]) => {
      const path = route.slice(route.indexOf(" ") + 1).replace(/:(\w+)/g, (_, param: string) => {
        const id = ids[param];
        if (id === undefined) throw new Error(`${route}: no id for :${param}`);
        return id;
      });
      return [route, { ...sample, path, status: sample.status ?? 404 }];
    }),
  );
}

export const ROUTE_SAMPLES: Record<string, RouteSample> = {
  // core
  "GET /health": { path: "/health", status: 200 },
  "GET /ready": { path: "/ready", status: 200 },
  "GET /api/openapi.json": { path: "/api/openapi.json", status: 200 },
  "GET /api/docs": { path: "/api/docs", status: 200 },
  // platform administration
  "GET /api/admin/config": { path: "/api/admin/config", status: 200 },
  "GET /metrics": { path: "/metrics", status: 200 },
  "GET /api/flags": { path: "/api/flags", status: 200 },
  "GET /api/flags/:key": { path: "/api/flags/no-such-flag", status: 404 },
  "PUT /api/flags/:key": { path: "/api/flags/matrix-flag", body: { enabled: true }, status: 200 },
  "DELETE /api/flags/:key": { path: "/api/flags/no-such-flag", status: 404 },
  "GET /api/flags/:key/decision": { path: "/api/flags/no-such-flag/decision", status: 200 },

  // identity
  "POST /api/auth/signup": {
    path: "/api/auth/signup",
    body: () => ({ email: unique(), password: "a-long-enough-password" }),
    status: 403,
  },
  "POST /api/auth/login": {
    path: "/api/auth/login",
    body: { email: "admin@liquid-hive.test", password: "test-admin-password-123" },
    status: 200,
  },
  "POST /api/auth/logout": { path: "/api/auth/logout", status: 204, reauth: true },
  "POST /api/auth/token": {
    path: "/api/auth/token",
    body: { email: "admin@liquid-hive.test", password: "test-admin-password-123" },
    status: 200,
  },
  "POST /api/auth/refresh": { path: "/api/auth/refresh", body: { refresh_token: "lhr_not-a-real-token" }, status: 401 },
  "GET /api/auth/me": { path: "/api/auth/me", status: 200 },
  "POST /api/auth/password": {
    path: "/api/auth/password",
    body: { current_password: "not-the-current-password", new_password: "a-brand-new-password-1" },
    status: 400,
    overrides: KEYS_REFUSED,
  },
  "GET /api/auth/sessions": { path: "/api/auth/sessions", status: 200, overrides: KEYS_REFUSED },
  ...withUnknownIds({ id: "ses_missing" }, { "DELETE /api/auth/sessions/:id": { overrides: KEYS_REFUSED } }),
  // Bearer callers have no session whose workspace could be switched.
  "PUT /api/auth/workspace": {
    path: "/api/auth/workspace",
    body: (c: Caller) => ({ workspace_id: c.workspaceId }),
    status: 400,
    overrides: KEYS_REFUSED,
  },
  "GET /api/users": { path: "/api/users", status: 200 },
  "POST /api/users": {
    path: "/api/users",
    body: () => ({ email: unique(), password: "a-long-enough-password" }),
    status: 201,
  },
  "GET /api/users/:id": { path: "/api/users/{me}", status: 200 },
  ...withUnknownIds({ id: "usr_missing" }, { "PATCH /api/users/:id": { body: { name: "Nobody" } } }),
  "GET /api/admin/workspaces": { path: "/api/admin/workspaces", status: 200 },
  "GET /api/admin/workspaces/:id/members": { path: "/api/admin/workspaces/{ws}/members", status: 200 },
  "GET /api/workspaces": { path: "/api/workspaces", status: 200 },
  "POST /api/workspaces": {
    path: "/api/workspaces",
    body: { name: "Matrix team" },
    status: 201,
    overrides: KEYS_REFUSED,
  },
  "GET /api/workspaces/:id": { path: "/api/workspaces/{ws}", status: 200 },
  "PATCH /api/workspaces/:id": { path: "/api/workspaces/{ws}", body: { name: "Renamed by the matrix" }, status: 200 },
  // The platform admin acts in its personal workspace, which cannot be deleted.
  "DELETE /api/workspaces/:id": {
    path: "/api/workspaces/{ws}",
    status: 204,
    overrides: { platformAdmin: 409, keyWithScope: 403 },
    fresh: true,
  },
  "GET /api/workspaces/:id/members": { path: "/api/workspaces/{ws}/members", status: 200 },
  ...withUnknownIds(
    { id: "{ws}", userId: "usr_missing", invitationId: "inv_missing" },
    {
      "PATCH /api/workspaces/:id/members/:userId": { body: { role: "user" } },
      "DELETE /api/workspaces/:id/members/:userId": {},
      "DELETE /api/workspaces/:id/invitations/:invitationId": {},
    },
  ),
  "POST /api/workspaces/:id/invitations": {
    path: "/api/workspaces/{ws}/invitations",
    body: () => ({ email: unique(), role: "user" }),
    status: 201,
  },
  "GET /api/workspaces/:id/invitations": { path: "/api/workspaces/{ws}/invitations", status: 200 },
  "GET /api/workspaces/:id/safety-policy": { path: "/api/workspaces/{ws}/safety-policy", status: 200 },
  "PUT /api/workspaces/:id/safety-policy": {
    path: "/api/workspaces/{ws}/safety-policy",
    body: { input: { detectors: { pii: { action: "redact" } } } },
    status: 200,
  },
  "DELETE /api/workspaces/:id/safety-policy": { path: "/api/workspaces/{ws}/safety-policy", status: 200 },
  // An invitation is answered by the person it names; keys act for no one's inbox.
  "GET /api/invitations": { path: "/api/invitations", status: 200, overrides: KEYS_REFUSED },
  ...withUnknownIds(
    { id: "inv_missing" },
    {
      "POST /api/invitations/:id/accept": { overrides: KEYS_REFUSED },
      "POST /api/invitations/:id/decline": { overrides: KEYS_REFUSED },
    },
  ),
  "GET /api/keys": { path: "/api/keys", status: 200 },
  "POST /api/keys": { path: "/api/keys", body: { name: "matrix key", scopes: ["agents:read"] }, status: 201 },
  ...withUnknownIds({ id: "key_missing" }, { "GET /api/keys/:id": {}, "DELETE /api/keys/:id": {} }),
  "GET /api/audit": { path: "/api/audit", status: 200 },
  "GET /api/monitoring": { path: "/api/monitoring?window=24h", status: 200 },

  // agents, chat and conversations (the ids are unknown, so allowed callers reach the handler's 404)
  "GET /api/agents": { path: "/api/agents", status: 200 },
  "POST /api/agents": { path: "/api/agents", body: { name: "Matrix agent" }, status: 201 },
  ...withUnknownIds(
    { id: "agt_missing", version: "1" },
    {
      "GET /api/agents/:id": {},
      "PATCH /api/agents/:id": { body: { name: "Renamed" } },
      "DELETE /api/agents/:id": {},
      "GET /api/agents/:id/versions": {},
      "POST /api/agents/:id/versions/:version/rollback": { body: {} },
      "POST /api/agents/:id/chat": { body: { message: "hello" } },
      "POST /api/agents/:id/conversations": { body: {} },
    },
  ),
  "GET /api/conversations": { path: "/api/conversations", status: 200 },
  ...withUnknownIds(
    { id: "conv_missing", callId: "call_1" },
    {
      "GET /api/conversations/:id": {},
      "DELETE /api/conversations/:id": {},
      "POST /api/conversations/:id/cancel": {},
      "POST /api/conversations/:id/approvals/:callId": { body: { decision: "approve" } },
      "POST /api/conversations/:id/socket-token": {},
    },
  ),
  // A plain GET is not a WebSocket upgrade; the socket's own auth is tested in conversations.socket.security.test.ts.
  "GET /agents/:agent/:name": { path: "/agents/conversation-agent/conv_missing", status: 400 },
  // knowledge (unknown ids, so allowed callers reach the handler's 404)
  "GET /api/knowledge-bases": { path: "/api/knowledge-bases", status: 200 },
  "POST /api/knowledge-bases": { path: "/api/knowledge-bases", body: { name: "Matrix knowledge" }, status: 201 },
  ...withUnknownIds(
    { id: "kb_missing", docId: "doc_missing" },
    {
      "GET /api/knowledge-bases/:id": {},
      "PATCH /api/knowledge-bases/:id": { body: { name: "Renamed" } },
      "DELETE /api/knowledge-bases/:id": {},
      "GET /api/knowledge-bases/:id/documents": {},
      "POST /api/knowledge-bases/:id/documents": { body: { name: "a.txt", content: "hello" } },
      "POST /api/knowledge-bases/:id/documents/batch": { body: { files: [{ name: "a.txt", content: "hello" }] } },
      "GET /api/knowledge-bases/:id/ingestion": {},
      "GET /api/knowledge-bases/:id/documents/:docId": {},
      "GET /api/knowledge-bases/:id/documents/:docId/original": {},
      "PUT /api/knowledge-bases/:id/documents/:docId": { body: { name: "a.txt", content: "hello" } },
      "DELETE /api/knowledge-bases/:id/documents/:docId": {},
      "POST /api/knowledge-bases/:id/documents/fetch": { body: { urls: ["https://docs.example.com/a"] } },
      "POST /api/knowledge-bases/:id/documents/:docId/refetch": {},
      "POST /api/knowledge-bases/:id/search": { body: { query: "lift" } },
    },
  ),
  "POST /v1/embeddings": { path: "/v1/embeddings", body: { input: "hello", model: "local-hash-v1" }, status: 200 },
  "POST /v1/chat/completions": {
    path: "/v1/chat/completions",
    body: { model: "no-such-model", messages: [{ role: "user", content: "hi" }] },
    status: 404,
  },
  "GET /v1/models": { path: "/v1/models", status: 200 },
  // Past auth, the MCP handler itself answers: 406 because this probe does not Accept text/event-stream.
  "POST /mcp": { path: "/mcp", body: { jsonrpc: "2.0", id: 1, method: "ping" }, status: 406 },

  // swarm runs (unknown ids: allowed callers reach the handler's 422/404; a plain GET is not a WebSocket upgrade)
  "POST /api/swarm/runs": {
    path: "/api/swarm/runs",
    body: { strategy: "pipeline", task: "matrix", agent_ids: ["agt_missing"] },
    status: 422,
  },
  "GET /api/swarm/runs": { path: "/api/swarm/runs", status: 200 },
  ...withUnknownIds(
    { id: "run_missing" },
    {
      "GET /api/swarm/runs/:id": {},
      "POST /api/swarm/runs/:id/cancel": {},
      "POST /api/swarm/runs/:id/socket-token": {},
      "GET /api/swarm/runs/:id/events": { status: 400 },
    },
  ),

  // evaluation runs (unknown ids: allowed callers reach the handler's 404)
  "POST /api/evals/runs": {
    path: "/api/evals/runs",
    body: { dataset_id: "eds_missing", target: { kind: "agent", agent_id: "agt_missing" } },
    status: 404,
  },
  "GET /api/evals/runs": { path: "/api/evals/runs", status: 200 },
  ...withUnknownIds(
    { id: "erun_missing" },
    {
      "GET /api/evals/runs/:id": {},
      "GET /api/evals/runs/:id/results": {},
      "GET /api/evals/runs/:id/events": {},
      "POST /api/evals/runs/:id/cancel": {},
    },
  ),
  "GET /api/evals/compare": { path: "/api/evals/compare?baseline=erun_a&candidate=erun_b", status: 404 },

  // safety (the playground stores nothing, so it runs for every allowed caller)
  "POST /api/safety/check": { path: "/api/safety/check", body: { text: "Write to jane.doe@example.com" }, status: 200 },
  "GET /api/safety/events": { path: "/api/safety/events", status: 200 },
  // evaluation datasets (unknown ids: allowed callers reach the handler's 404)
  "GET /api/evals/datasets": { path: "/api/evals/datasets", status: 200 },
  "POST /api/evals/datasets": {
    path: "/api/evals/datasets",
    body: () => ({ name: `Matrix set ${crypto.randomUUID().slice(0, 8)}` }),
    status: 201,
  },
  ...withUnknownIds(
    { id: "eds_missing", caseId: "ecs_missing" },
    {
      "GET /api/evals/datasets/:id": {},
      "PATCH /api/evals/datasets/:id": { body: { name: "Renamed" } },
      "DELETE /api/evals/datasets/:id": {},
      "GET /api/evals/datasets/:id/cases": {},
      "POST /api/evals/datasets/:id/cases": { body: { input: { message: "What is 2 + 2?" }, expected_output: "4" } },
      "PUT /api/evals/datasets/:id/cases/:caseId": { body: { input: { message: "What is 2 + 2?" } } },
      "DELETE /api/evals/datasets/:id/cases/:caseId": {},
      "POST /api/evals/datasets/:id/cases/from-conversation": { body: { conversation_id: "conv_missing" } },
      "POST /api/evals/datasets/:id/import": { body: { jsonl: '{"input":{"message":"hi"}}\n' } },
      "GET /api/evals/datasets/:id/export": {},
    },
  ),
  // usage and cost
  "GET /api/usage": { path: "/api/usage?group_by=model", status: 200 },
  "GET /api/workspaces/:id/budget": { path: "/api/workspaces/{ws}/budget", status: 404 },
  "PUT /api/workspaces/:id/budget": {
    path: "/api/workspaces/{ws}/budget",
    body: { monthly_usd: 1_000_000 },
    status: 200,
    fresh: true,
  },
  "GET /api/admin/model-prices": { path: "/api/admin/model-prices", status: 200 },
  "PUT /api/admin/model-prices/:provider/:model": {
    path: "/api/admin/model-prices/matrix/model-1",
    body: { input_usd_per_mtok: 0, output_usd_per_mtok: 0 },
    status: 200,
  },
  "DELETE /api/admin/model-prices/:provider/:model": { path: "/api/admin/model-prices/matrix/missing", status: 404 },

  // traces
  "GET /api/traces": { path: "/api/traces", status: 200 },
  "GET /api/traces/:traceId": { path: "/api/traces/00000000000000000000000000000000", status: 404 },
};
