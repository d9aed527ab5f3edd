// Two layers: the `ratelimits` binding as a cheap per-IP brake on anonymous traffic, then an
// exact sliding-window limit per principal (API key, user, or IP for auth routes) in a
// RateLimiter Durable Object named after that principal — sharded by key, never global.
// Chat is also held to a token budget per workspace, charged after each answer. A route whose
// one request may start several model calls (MCP batches) admits them with `admitModelCalls`,
// which charges the chat class per call exactly as the chat route is charged. Upload routes are
// charged by their handler through `admitIngest`: documents and bytes per workspace, all or none.
import type { Context, MiddlewareHandler } from "hono";
import { endpointPath } from "../core/authorize";
import { background } from "../core/background";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { kvRead, kvWrite } from "../core/kv";
import { recordRateLimited } from "../metrics/recorder";
import { checkBudget } from "../usage/budget";
import { type Limit, policyFor, type RouteClass, routeClass } from "./policy";

interface Decision {
  limit: number;
  remaining: number;
  resetMs: number;
  /** The RateLimit-Policy header, for classes with more than one window. */
  policy?: string;
}

/** Hot "blocked" decisions, so a flood does not reach the Durable Object on every request. */
const blocked = new Map<string, { until: number; limit: number }>();
/** Subjects whose KV-cached block this isolate has already consulted recently. */
const consulted = new Map<string, number>();
const MAX_TRACKED = 10_000;

function bounded<K, V>(map: Map<K, V>, key: K, value: V) {
  // Isolates are short-lived, but a scan of many keys must not grow memory without bound.
  if (map.size >= MAX_TRACKED) map.clear();
  map.set(key, value);
}

const headerValues = (d: Decision): Record<string, string> => ({
  "RateLimit-Limit": String(d.limit),
  "RateLimit-Remaining": String(d.remaining),
  "RateLimit-Reset": String(Math.ceil(d.resetMs / 1000)),
  ...(d.policy ? { "RateLimit-Policy": d.policy } : {}),
});

/** The 429 for a refusal by the `cls` limit (counted in the metrics by class). */
function tooMany(cls: RouteClass | "ip", d: Decision, what: string, extra: Record<string, unknown> = {}): ApiError {
  recordRateLimited(cls);
  const retryAfter = String(Math.max(1, Math.ceil(d.resetMs / 1000)));
  return new ApiError("RATE_LIMITED", `Rate limit exceeded for ${what}; retry in ${retryAfter} s`, {
    details: { limit: d.limit, retry_after_seconds: Number(retryAfter), ...extra },
    headers: { ...headerValues(d), "Retry-After": retryAfter },
  });
}

async function isBlocked(c: Context<HonoEnv>, key: string): Promise<Decision | null> {
  const now = Date.now();
  const mem = blocked.get(key);
  if (mem && mem.until > now) return { limit: mem.limit, remaining: 0, resetMs: mem.until - now };
  if ((consulted.get(key) ?? 0) > now) return null;
  bounded(consulted, key, now + 60_000);
  // The limiter Durable Object decides anyway; this only saves it a round trip, so a failure is a miss.
  const kv = await kvRead("CACHE", () =>
    c.env.CACHE.get<{ until: number; limit: number }>(`rl:blocked:${key}`, "json"),
  );
  if (kv && kv.until > now) {
    bounded(blocked, key, kv);
    return { limit: kv.limit, remaining: 0, resetMs: kv.until - now };
  }
  return null;
}

function rememberBlock(c: Context<HonoEnv>, key: string, d: Decision) {
  const entry = { until: Date.now() + d.resetMs, limit: d.limit };
  bounded(blocked, key, entry);
  // KV's minimum TTL is 60 s; readers compare `until`, so a longer TTL never over-blocks.
  background(
    c,
    "cache_rate_limit_block",
    kvWrite("CACHE", "put", () =>
      c.env.CACHE.put(`rl:blocked:${key}`, JSON.stringify(entry), {
        expirationTtl: Math.max(60, Math.ceil(d.resetMs / 1000)),
      }),
    ),
  );
}

async function consume(
  c: Context<HonoEnv>,
  subject: string,
  bucket: string,
  limit: Limit,
  cost = 1,
): Promise<Decision & { allowed: boolean }> {
  const key = `${subject}:${bucket}`;
  const cached = await isBlocked(c, key);
  if (cached) return { ...cached, allowed: false };
  const r = await c.env.RATE_LIMITER.getByName(subject).hit({
    bucket,
    limit: limit.limit,
    windowMs: limit.windowMs,
    cost,
  });
  // A multi-unit request refused while single units still fit must not block those.
  if (!r.allowed && r.remaining <= 0) rememberBlock(c, key, r);
  return r;
}

/** The decision a route's RateLimit-* headers report, when the route admitted more than the middleware did. */
const reported = new WeakMap<Context<HonoEnv>, Decision>();

/**
 * Charges `cost` units of `cls` to the caller (API key, user, or IP for auth routes and the
 * anonymous) and, for chat, probes the workspace's token budget (zero cost: admits while tokens
 * remain) and its monthly spending limit (worker/usage/budget.ts; `budget: false` when the caller
 * checks it itself); all are asked at once. Throws 429 when any refuses.
 */
async function admit(c: Context<HonoEnv>, cls: RouteClass, cost: number, budget = true): Promise<Decision> {
  const principal = c.var.principal;
  const ip = c.req.header("CF-Connecting-IP");
  const workspaceId = principal.kind === "anonymous" ? null : principal.workspaceId;
  const policy = await policyFor(c.var.config, c.env.CACHE, workspaceId);
  const subject =
    cls === "auth" || principal.kind === "anonymous"
      ? `ip:${ip ?? "unknown"}`
      : principal.kind === "api_key"
        ? `key:${principal.credentialId}`
        : `user:${principal.userId}`;
  const chat = cls === "chat" && workspaceId;
  const [decision, tokens] = await Promise.all([
    consume(c, subject, cls, policy[cls], cost),
    chat ? consume(c, `ws:${workspaceId}`, "chat_tokens", policy.chat_tokens, 0) : null,
    chat && budget ? checkBudget(c.var.services.db, workspaceId) : null,
  ]);
  if (!decision.allowed) throw tooMany(cls, decision, cls === "auth" ? "sign-in attempts" : "this credential");
  if (tokens && tokens.remaining <= 0) throw tooMany("chat_tokens", tokens, "this workspace's model tokens");
  return decision;
}

/**
 * Admits `calls` model calls made by one request (each one a chat request's worth of the chat
 * class, all or none), refused like chat once the workspace's token budget is spent. The
 * response then reports the chat class in its RateLimit-* headers. The monthly budget is left to
 * each call (MCP answers it as a tool error).
 */
export async function admitModelCalls(c: Context<HonoEnv>, calls: number): Promise<void> {
  if (calls <= 0) return;
  reported.set(c, await admit(c, "chat", calls, false));
}

/** What one upload request will queue: the documents it writes and the bytes it carries. */
export interface IngestCharge {
  documents: number;
  bytes: number;
}

/**
 * Charges an upload to its workspace's `ingest` windows (documents and bytes) at once: the
 * whole request is admitted or none of it is. A request larger than a whole window can never
 * fit, so it is refused as too large instead of being told to wait forever. The response
 * reports the documents window, and both windows in RateLimit-Policy.
 */
export async function admitIngest(c: Context<HonoEnv>, charge: IngestCharge): Promise<void> {
  const principal = c.var.principal;
  if (principal.kind === "anonymous") throw new ApiError("UNAUTHENTICATED", "Sign in to upload documents");
  const policy = await policyFor(c.var.config, c.env.CACHE, principal.workspaceId);
  const windows = [
    { bucket: "ingest", unit: "documents", limit: policy.ingest, cost: charge.documents },
    { bucket: "ingest_bytes", unit: "bytes", limit: policy.ingest_bytes, cost: charge.bytes },
  ] as const;
  const header = windows.map((w) => `${w.limit.limit};w=${w.limit.windowMs / 1000};unit=${w.unit}`).join(", ");
  const oversized = windows.find((w) => w.cost > w.limit.limit);
  if (oversized) {
    throw new ApiError("PAYLOAD_TOO_LARGE", `One upload may queue at most ${oversized.limit.limit} ${oversized.unit}`, {
      details: { limit: oversized.limit.limit, unit: oversized.unit, requested: oversized.cost },
    });
  }
  const results = await c.env.RATE_LIMITER.getByName(`ws:${principal.workspaceId}`).hitAll(
    windows.map((w) => ({ bucket: w.bucket, limit: w.limit.limit, windowMs: w.limit.windowMs, cost: w.cost })),
  );
  const [documents] = results;
  if (!documents) throw new Error("the rate limiter answered no windows");
  if (!documents.allowed) {
    // Wait for the window that is short of room (the longest wait when both are).
    const waits = results.filter((r, i) => (windows[i]?.cost ?? 0) > r.remaining);
    const slowest = waits.reduce((a, b) => (b.resetMs > a.resetMs ? b : a), waits[0] ?? documents);
    const short = windows[results.indexOf(slowest)] ?? windows[0];
    throw tooMany(short.bucket, { ...slowest, policy: header }, "this workspace's uploads", { unit: short.unit });
  }
  reported.set(c, { ...documents, policy: header });
}

export const rateLimit: MiddlewareHandler<HonoEnv> = async (c, next) => {
  const path = endpointPath(c);
  if (!path) return next();
  const principal = c.var.principal;
  const ip = c.req.header("CF-Connecting-IP");
  if (principal.kind === "anonymous" && ip) {
    const { success } = await c.env.IP_RATE_LIMITER.limit({ key: `ip:${ip}` });
    if (!success) throw tooMany("ip", { limit: 0, remaining: 0, resetMs: 60_000 }, "this address");
  }
  const cls = routeClass(c.req.method, path);
  if (!cls) return next();
  const decision = cls === "ingest" ? null : await admit(c, cls, 1);
  await next();
  const report = reported.get(c) ?? decision;
  if (report) setHeaders(c, headerValues(report));
};

function setHeaders(c: Context<HonoEnv>, headers: Record<string, string>) {
  try {
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  } catch {
    // Responses passed through from fetch() or a Durable Object have immutable headers.
    c.res = new Response(c.res.body, c.res);
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  }
}
