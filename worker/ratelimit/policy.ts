// Rate-limit policies per route class. Defaults here; `RATE_LIMITS` in config overrides them
// (e.g. "read=600/60,chat_tokens=50000/60"); a workspace may have its own overrides in KV
// (`rl:policy:<workspaceId>`, the same format), read at most once a minute per isolate.
// Uploads are their own workload: the `ingest` class counts documents and `ingest_bytes` their
// bytes, per workspace, so a folder goes in at the queue's pace without spending API writes.
import { READ_ONLY_POSTS } from "../cache/policy";
import type { Config } from "../core/config";
import { KV_FAILED, kvAttempt } from "../core/kv";

export type RouteClass = "auth" | "read" | "write" | "chat" | "chat_tokens" | "ingest" | "ingest_bytes";

export interface Limit {
  limit: number;
  windowMs: number;
}

export type Policy = Record<RouteClass, Limit>;

export const DEFAULT_POLICY: Policy = {
  // Per IP: login, token, refresh and signup are brute-force targets.
  auth: { limit: 20, windowMs: 60_000 },
  read: { limit: 600, windowMs: 60_000 },
  write: { limit: 120, windowMs: 60_000 },
  chat: { limit: 30, windowMs: 60_000 },
  // Model tokens per workspace per minute, charged after each answer.
  chat_tokens: { limit: 200_000, windowMs: 60_000 },
  // Documents and bytes uploaded per workspace per minute: above the ingestion queue's own pace
  // (30-40 small documents a second locally, bench/bulk-ingestion.ts), so a folder goes through at
  // the speed the queue absorbs it while one workspace cannot flood it.
  ingest: { limit: 3000, windowMs: 60_000 },
  ingest_bytes: { limit: 100 * 1024 * 1024, windowMs: 60_000 },
};

const CLASSES = new Set<string>(Object.keys(DEFAULT_POLICY));

export function parsePolicy(spec: string | undefined, base: Policy = DEFAULT_POLICY): Policy {
  const policy: Policy = { ...base };
  if (!spec) return policy;
  for (const part of spec.split(",")) {
    const m = part.trim().match(/^([a-z_]+)=(\d+)\/(\d+)$/);
    if (m && CLASSES.has(m[1] as string)) {
      policy[m[1] as RouteClass] = { limit: Number(m[2]), windowMs: Number(m[3]) * 1000 };
    }
  }
  return policy;
}

const AUTH_ROUTES = new Set([
  "POST /api/auth/login",
  "POST /api/auth/token",
  "POST /api/auth/refresh",
  "POST /api/auth/signup",
]);
/** Routes that start model calls: the chat class, refused once the workspace's model tokens are
 * spent. (MCP's model-running tool calls are charged the same way, one by one: worker/mcp/routes.ts; an
 * evaluation run's cases check the monthly budget before each one: worker/evals/run-engine.ts.) */
const CHAT_ROUTES = new Set([
  "POST /api/agents/:id/chat",
  "POST /v1/chat/completions",
  "POST /api/conversations/:id/approvals/:callId",
  "POST /api/swarm/runs",
  "POST /api/evals/runs",
]);
/** Uploads: charged to `ingest` by the handler once it knows how many documents and bytes it will queue. */
const INGEST_ROUTES = new Set([
  "POST /api/knowledge-bases/:id/documents",
  "POST /api/knowledge-bases/:id/documents/batch",
  "PUT /api/knowledge-bases/:id/documents/:docId",
  "POST /api/knowledge-bases/:id/documents/fetch",
  "POST /api/knowledge-bases/:id/documents/:docId/refetch",
]);
/** Cheap, public probes are only under the per-IP brake. */
const UNLIMITED = new Set(["GET /health", "GET /ready", "GET /metrics"]);

export function routeClass(method: string, path: string): RouteClass | null {
  const key = `${method} ${path}`;
  if (UNLIMITED.has(key)) return null;
  if (AUTH_ROUTES.has(key)) return "auth";
  if (CHAT_ROUTES.has(key)) return "chat";
  if (INGEST_ROUTES.has(key)) return "ingest";
  return method === "GET" || method === "HEAD" || READ_ONLY_POSTS.has(key) ? "read" : "write";
}

/** Workspace overrides as stored in KV (the raw spec), cached per isolate for a minute. */
const workspaceSpecs = new Map<string, { spec: string | null; at: number }>();

export async function policyFor(config: Config, kv: KVNamespace, workspaceId: string | null): Promise<Policy> {
  const base = parsePolicy(config.RATE_LIMITS);
  if (!workspaceId) return base;
  let hit = workspaceSpecs.get(workspaceId);
  if (!hit || Date.now() - hit.at >= 60_000) {
    if (workspaceSpecs.size >= 10_000) workspaceSpecs.clear();
    const spec = await kvAttempt("CACHE", "get", () => kv.get(`rl:policy:${workspaceId}`));
    // KV failed: the configured defaults for now, asked again on the next request.
    if (spec === KV_FAILED) return base;
    hit = { spec, at: Date.now() };
    workspaceSpecs.set(workspaceId, hit);
  }
  return parsePolicy(hit.spec ?? undefined, base);
}
