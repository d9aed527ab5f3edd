// A stand-in for the Worker's safety routes (worker/safety) for Ada, admin of Team Hive and
// member of Lab, typed by the API's own types (@hive/shared/api-types) and nothing of the Worker's,
// so the CLI's Node type check stays free of Worker code. Detection is canned and small (emails,
// redacted as [EMAIL_n], and the phrase "ignore all previous instructions"): this checks the CLI;
// the Worker's tests check the real pipeline. Policies are laid over the platform default as the
// Worker lays them, bodies are checked as strictly as its schemas check them (a refused body is the
// 400 envelope), events are filtered and paged newest first, and a key without the safety scope is
// refused as the permission table refuses it.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type Agent,
  type AgentPage,
  DETECTORS,
  type DetectorId,
  type EffectiveSafetyPolicy,
  type MeResponse,
  SAFETY_ACTIONS,
  SAFETY_STAGES,
  type SafetyAction,
  type SafetyCheckResponse,
  type SafetyEvent,
  type SafetyFinding,
  type SafetyPolicy,
  type SafetyStage,
  type WorkspaceSafetyPolicy,
} from "@hive/shared/api-types";
import { readJson, sendError, sendJson } from "./fake-http";

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
  definition: {
    name: "Lenient",
    description: "",
    system_prompt: "You are a helpful assistant.",
    model: { provider: "offline", id: "extractive" },
    fallback_models: [],
    temperature: 0.2,
    max_tokens: 1024,
    tools: [],
    knowledge_base_ids: [],
    safety: { input: { detectors: { injection: { action: "flag" } } } },
    max_steps: 4,
    allow_system_override: false,
  },
  tokens_in: 0,
  tokens_out: 0,
  can_edit: true,
  created_at: T0,
  updated_at: T0,
};

/** The Worker's limit on a checked text (worker/safety/schemas.ts). */
const MAX_CHECK_CHARS = 32_768;

type Rules = Partial<Record<DetectorId, SafetyAction>>;
const stage = (enabled: boolean, rules: Rules): EffectiveSafetyPolicy[SafetyStage] => ({
  enabled,
  detectors: Object.fromEntries(DETECTORS.map((d) => [d, { action: rules[d] ?? "allow" }])) as Record<
    DetectorId,
    { action: SafetyAction }
  >,
});
/** The platform default, as GET /api/workspaces/:id/safety-policy shows it for a workspace without a policy. */
const platformDefault = (): EffectiveSafetyPolicy => ({
  input: stage(true, { injection: "block", pii: "flag", secrets: "redact", moderation: "flag" }),
  retrieval: stage(true, { injection: "block", secrets: "redact", moderation: "flag" }),
  tool_output: stage(true, { injection: "block", secrets: "redact", moderation: "flag" }),
  output: stage(true, { pii: "redact", secrets: "redact", canary: "block", moderation: "flag" }),
});

/** Each policy over the one before it, stage by stage and detector by detector. */
function resolvePolicy(...layers: (SafetyPolicy | undefined)[]): EffectiveSafetyPolicy {
  const out = platformDefault();
  for (const layer of layers) {
    for (const name of SAFETY_STAGES) {
      const s = layer?.[name];
      if (s?.enabled !== undefined) out[name].enabled = s.enabled;
      for (const d of DETECTORS) {
        const rule = s?.detectors?.[d];
        if (rule) out[name].detectors[d] = { ...rule };
      }
    }
  }
  return out;
}

interface Issue {
  path: string;
  message: string;
}
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => list.includes(v as T);
const unknownKeys = (v: Record<string, unknown>, known: readonly string[], at: string): Issue[] =>
  Object.keys(v)
    .filter((k) => !known.includes(k))
    .map((k) => ({ path: at ? `${at}.${k}` : k, message: "Unrecognized key" }));

/** What the Worker's strict SafetyPolicy schema refuses, as its field paths. */
function policyIssues(body: unknown): Issue[] {
  if (!isObject(body)) return [{ path: "", message: "Expected object" }];
  const issues = unknownKeys(body, SAFETY_STAGES, "");
  for (const name of SAFETY_STAGES) {
    const s = body[name];
    if (s === undefined) continue;
    if (!isObject(s)) {
      issues.push({ path: name, message: "Expected object" });
      continue;
    }
    issues.push(...unknownKeys(s, ["enabled", "detectors"], name));
    if (s.enabled !== undefined && typeof s.enabled !== "boolean")
      issues.push({ path: `${name}.enabled`, message: "Expected boolean" });
    if (s.detectors === undefined) continue;
    if (!isObject(s.detectors)) {
      issues.push({ path: `${name}.detectors`, message: "Expected object" });
      continue;
    }
    issues.push(...unknownKeys(s.detectors, DETECTORS, `${name}.detectors`));
    for (const d of DETECTORS) {
      const rule = s.detectors[d];
      const at = `${name}.detectors.${d}`;
      if (rule === undefined) continue;
      if (!isObject(rule)) {
        issues.push({ path: at, message: "Expected object" });
        continue;
      }
      issues.push(...unknownKeys(rule, ["action", "threshold"], at));
      if (!oneOf(SAFETY_ACTIONS, rule.action))
        issues.push({ path: `${at}.action`, message: `Expected one of ${SAFETY_ACTIONS.join(", ")}` });
      const t = rule.threshold;
      if (t !== undefined && (typeof t !== "number" || t < 0 || t > 1))
        issues.push({ path: `${at}.threshold`, message: "Expected a number from 0 to 1" });
    }
  }
  return issues;
}

interface CheckBody {
  text: string;
  stage: SafetyStage;
  agent_id?: string;
}

function checkBody(body: unknown): CheckBody | Issue[] {
  if (!isObject(body)) return [{ path: "", message: "Expected object" }];
  const issues = unknownKeys(body, ["text", "stage", "agent_id"], "");
  const { text, stage = "input", agent_id } = body;
  if (typeof text !== "string" || text.length < 1 || text.length > MAX_CHECK_CHARS)
    issues.push({ path: "text", message: `Expected a string of 1 to ${MAX_CHECK_CHARS} characters` });
  if (!oneOf(SAFETY_STAGES, stage)) issues.push({ path: "stage", message: "Invalid stage" });
  if (agent_id !== undefined && typeof agent_id !== "string")
    issues.push({ path: "agent_id", message: "Expected string" });
  if (issues.length > 0) return issues;
  return { text: text as string, stage: stage as SafetyStage, ...(typeof agent_id === "string" ? { agent_id } : {}) };
}

const INJECTION_PHRASE = /ignore all previous instructions/i;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** The canned detection: an injection phrase (no span) and emails (spans), under the stage's rules. */
function check(text: string, rules: EffectiveSafetyPolicy[SafetyStage]): SafetyCheckResponse {
  const raw: Omit<SafetyFinding, "action">[] = [];
  if (INJECTION_PHRASE.test(text)) raw.push({ detector: "injection", category: "prompt_injection", score: 0.99 });
  for (const m of text.matchAll(EMAIL))
    raw.push({ detector: "pii", category: "email", score: 1, start: m.index, end: m.index + m[0].length });
  const findings: SafetyFinding[] = [];
  for (const f of rules.enabled ? raw : []) {
    const rule = rules.detectors[f.detector];
    if (rule.action !== "allow" && f.score >= (rule.threshold ?? 0)) findings.push({ ...f, action: rule.action });
  }
  const rank = (a: SafetyAction) => SAFETY_ACTIONS.indexOf(a);
  const verdict = findings.reduce<SafetyAction>((v, f) => (rank(f.action) > rank(v) ? f.action : v), "allow");
  if (verdict !== "redact") return { verdict, findings, latency_ms: 0.1 };
  let redacted = "";
  let from = 0;
  const seen = new Map<string, number>();
  for (const f of findings) {
    if (f.action !== "redact" || f.start === undefined || f.end === undefined) continue;
    seen.set(f.category, (seen.get(f.category) ?? 0) + 1);
    redacted += `${text.slice(from, f.start)}[${f.category.toUpperCase()}_${seen.get(f.category)}]`;
    from = f.end;
  }
  return { verdict, findings, redacted_text: redacted + text.slice(from), latency_ms: 0.1 };
}

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

  const invalid = (res: ServerResponse, fields: Issue[]) =>
    sendError(res, 400, "VALIDATION_ERROR", "Request validation failed", { fields });
  const policyOf = (ws: string): WorkspaceSafetyPolicy => {
    const policy = api.policies.get(ws) ?? {};
    return { policy, effective: resolvePolicy(policy), updated_at: api.policies.has(ws) ? T0 : null };
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const route = `${req.method} ${url.pathname}`;
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (bearer !== ADA_TOKEN && bearer !== NO_SCOPE_KEY)
      return sendError(res, 401, "UNAUTHENTICATED", "Authentication required");
    const isSafetyRoute = url.pathname.startsWith("/api/safety/") || url.pathname.endsWith("/safety-policy");
    if (bearer === NO_SCOPE_KEY && isSafetyRoute) {
      return sendError(res, 403, "FORBIDDEN", "This API key lacks the safety scope", { required_scope: "safety" });
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
      return sendJson(res, 200, me);
    }
    if (route === "GET /api/agents")
      return sendJson(res, 200, { data: [LENIENT], next_cursor: null } satisfies AgentPage);

    if (route === "POST /api/safety/check") {
      const parsed = checkBody(await readJson(req));
      if (Array.isArray(parsed)) return invalid(res, parsed);
      const { text, stage, agent_id } = parsed;
      if (agent_id && agent_id !== LENIENT.id) return sendError(res, 404, "NOT_FOUND", "Agent not found");
      const policy = resolvePolicy(api.policies.get(TEAM.id), agent_id ? LENIENT.definition.safety : undefined);
      return sendJson(res, 200, check(text, policy[stage]));
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
      return sendJson(res, 200, { data, next_cursor: start + limit < all.length ? String(start + limit) : null });
    }

    const policyRoute = /^\/api\/workspaces\/([^/]+)\/safety-policy$/.exec(url.pathname);
    if (policyRoute) {
      const ws = policyRoute[1] ?? "";
      if (ws !== TEAM.id && ws !== LAB.id) return sendError(res, 404, "NOT_FOUND", "Workspace not found");
      if (req.method === "PUT") {
        const policy = await readJson(req);
        const issues = policyIssues(policy);
        if (issues.length > 0) return invalid(res, issues);
        api.policies.set(ws, policy as SafetyPolicy);
      }
      if (req.method === "DELETE") api.policies.delete(ws);
      return sendJson(res, 200, policyOf(ws));
    }
    sendError(res, 404, "NOT_FOUND", `No route for ${route}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, 500, "INTERNAL", String(err)));
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
