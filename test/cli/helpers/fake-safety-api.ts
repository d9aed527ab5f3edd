// A stand-in for the Worker's safety routes (worker/safety) for Ada, admin of Team Hive and
// member of Lab. It answers with the real pipeline and schemas: checks run `checkText` over the
// workspace's policy and the agent's, bodies are validated by the routes' own zod schemas (a
// refused body is the 400 envelope), events are filtered and paged newest first, and a key
// without the safety scope is refused as the permission table refuses it.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgentPage } from "../../../worker/agents/routes";
import { AgentDefinition, type Agent } from "../../../worker/agents/schemas";
import type { MeResponse } from "../../../worker/auth/schemas";
import type { ErrorEnvelope } from "../../../worker/core/errors";
import { checkText } from "../../../worker/safety/pipeline";
import { resolvePolicy, SafetyPolicy } from "../../../worker/safety/policy";
import { CheckRequest, type SafetyEvent, type WorkspacePolicyResponse } from "../../../worker/safety/schemas";

const T0 = "2026-01-01T12:00:00.000Z";
export const ADA_TOKEN = "eyJ.ada-access-token";
/** An API key with scopes other than `safety`. */
export const NO_SCOPE_KEY = "lh_chatonly_0123456789abcdef";
const TEAM = {
  id: "ws_team",
  name: "Team Hive",
  slug: "team-hive",
  personal: false,
  owner_id: "usr_ada",
  created_at: T0,
};
const LAB = { id: "ws_lab", name: "Lab", slug: "lab", personal: false, owner_id: "usr_ada", created_at: T0 };

const LENIENT: Agent = {
  id: "agt_lenient",
  workspace_id: TEAM.id,
  owner_id: "usr_ada",
  visibility: "workspace",
  name: "Lenient",
  description: "",
  version: 1,
  definition: AgentDefinition.parse({
    name: "Lenient",
    safety: { input: { detectors: { injection: { action: "flag" } } } },
  }),
  tokens_in: 0,
  tokens_out: 0,
  can_edit: true,
  created_at: T0,
  updated_at: T0,
};

export interface FakeSafetyApi {
  url: string;
  events: SafetyEvent[];
  /** workspace id -> stored policy */
  policies: Map<string, SafetyPolicy>;
  /** The query strings /api/safety/events was called with. */
  eventQueries: URLSearchParams[];
  close(): Promise<void>;
}

export async function startFakeSafetyApi(): Promise<FakeSafetyApi> {
  const api: FakeSafetyApi = {
    url: "",
    events: [],
    policies: new Map(),
    eventQueries: [],
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };

  function send(res: ServerResponse, status: number, payload: unknown) {
    res.writeHead(status, { "Content-Type": "application/json", "X-Request-Id": "req_fake123" });
    res.end(JSON.stringify(payload));
  }
  function fail(
    res: ServerResponse,
    status: number,
    code: ErrorEnvelope["error"]["code"],
    message: string,
    details = {},
  ) {
    const error = { code, message, details, timestamp: T0, request_id: "req_fake123" };
    send(res, status, { error } satisfies ErrorEnvelope);
  }
  async function body(req: IncomingMessage): Promise<unknown> {
    let text = "";
    for await (const chunk of req) text += String(chunk);
    return text ? JSON.parse(text) : undefined;
  }
  const invalid = (res: ServerResponse, issues: { path: PropertyKey[]; message: string }[]) =>
    fail(res, 400, "VALIDATION_ERROR", "Request validation failed", {
      fields: issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  const policyOf = (ws: string): WorkspacePolicyResponse => {
    const policy = api.policies.get(ws) ?? {};
    return { policy, effective: resolvePolicy(policy), updated_at: api.policies.has(ws) ? T0 : null };
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const route = `${req.method} ${url.pathname}`;
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (bearer !== ADA_TOKEN && bearer !== NO_SCOPE_KEY)
      return fail(res, 401, "UNAUTHENTICATED", "Authentication required");
    const isSafetyRoute = url.pathname.startsWith("/api/safety/") || url.pathname.endsWith("/safety-policy");
    if (bearer === NO_SCOPE_KEY && isSafetyRoute) {
      return fail(res, 403, "FORBIDDEN", "This API key lacks the safety scope", { required_scope: "safety" });
    }

    if (route === "GET /api/auth/me") {
      const me: MeResponse = {
        user: {
          id: "usr_ada",
          email: "ada@example.com",
          name: "Ada",
          kind: "human",
          platform_role: "member",
          disabled: false,
          created_at: T0,
        },
        workspace: { ...TEAM, role: "admin" },
        role: "admin",
        via: "jwt",
        scopes: [],
        memberships: [TEAM, LAB].map((w) => ({
          workspace_id: w.id,
          name: w.name,
          slug: w.slug,
          personal: false,
          role: "admin" as const,
        })),
      };
      return send(res, 200, me);
    }
    if (route === "GET /api/agents") return send(res, 200, { data: [LENIENT], next_cursor: null } satisfies AgentPage);

    if (route === "POST /api/safety/check") {
      const parsed = CheckRequest.safeParse(await body(req));
      if (!parsed.success) return invalid(res, parsed.error.issues);
      const { text, stage, agent_id } = parsed.data;
      if (agent_id && agent_id !== LENIENT.id) return fail(res, 404, "NOT_FOUND", "Agent not found");
      const policy = resolvePolicy(api.policies.get(TEAM.id), agent_id ? LENIENT.definition.safety : undefined);
      const v = await checkText(stage, text, policy);
      return send(res, 200, {
        verdict: v.action,
        findings: v.findings.map(({ source: _source, ...f }) => f),
        ...(v.action === "redact" ? { redacted_text: v.text } : {}),
        latency_ms: 0.1,
      });
    }

    if (route === "GET /api/safety/events") {
      const q = url.searchParams;
      api.eventQueries.push(q);
      const matches = (e: SafetyEvent) =>
        (!q.get("agent_id") || e.agent_id === q.get("agent_id")) &&
        (!q.get("stage") || e.stage === q.get("stage")) &&
        (!q.get("detector") || e.detector === q.get("detector")) &&
        (!q.get("action") || e.action === q.get("action")) &&
        (!q.get("since") || e.created_at >= (q.get("since") ?? ""));
      const all = api.events.filter(matches).sort((a, b) => b.created_at.localeCompare(a.created_at));
      const start = Number(q.get("cursor") ?? 0);
      const limit = Number(q.get("limit") ?? 20);
      const data = all.slice(start, start + limit);
      return send(res, 200, { data, next_cursor: start + limit < all.length ? String(start + limit) : null });
    }

    const policyRoute = /^\/api\/workspaces\/([^/]+)\/safety-policy$/.exec(url.pathname);
    if (policyRoute) {
      const ws = policyRoute[1] ?? "";
      if (ws !== TEAM.id && ws !== LAB.id) return fail(res, 404, "NOT_FOUND", "Workspace not found");
      if (req.method === "PUT") {
        const parsed = SafetyPolicy.safeParse(await body(req));
        if (!parsed.success) return invalid(res, parsed.error.issues);
        api.policies.set(ws, parsed.data);
      }
      if (req.method === "DELETE") api.policies.delete(ws);
      return send(res, 200, policyOf(ws));
    }
    fail(res, 404, "NOT_FOUND", `No route for ${route}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => fail(res, 500, "INTERNAL", String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}

let counter = 0;

/** An event as the guard pipeline stores it: a hash and a redacted snippet, never the text. */
export function event(overrides: Partial<SafetyEvent> & Pick<SafetyEvent, "created_at">): SafetyEvent {
  return {
    id: `sev_${++counter}`,
    agent_id: LENIENT.id,
    conversation_id: "conv_1",
    run_id: null,
    surface: "chat",
    stage: "input",
    detector: "injection",
    category: "prompt_injection",
    action: "block",
    score: 0.99,
    source: "local",
    text_hash: "a".repeat(64),
    snippet: "Ignore all previous instructions…",
    request_id: "req_1",
    ...overrides,
  };
}
