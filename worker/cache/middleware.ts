// Response cache for cacheable GETs, in KV. A key is the SHA-256 of the workspace, the principal,
// what it may do (role, platform admin, a key's effective scopes: a demoted admin must not keep
// the admin view) and the exact path and query, so it has a fixed length (KV refuses keys over
// 512 bytes) and a body is never served across tenants, users or permissions. The request is
// validated before the lookup, and a KV failure is a cache miss, never an error.
// Invalidation is by generation: each (workspace, resource) has a generation in KV; a write
// bumps it, and a cached body is only served if it was stored under the current generation.
// KV is eventually consistent: other locations may serve the previous generation for up to
// ~60 s after a write. In front of KV each isolate keeps small answers and the generations it
// read for CACHE_MEMORY_TTL_SECONDS: a hit then costs no I/O at all. A write through this
// isolate updates its generation in memory at once; other isolates see it within that TTL.
import type { Context, MiddlewareHandler } from "hono";
import { endpointPath } from "../core/authorize";
import { background } from "../core/background";
import type { HonoEnv } from "../core/env";
import { randomString, sha256Hex } from "../core/ids";
import { IsolateCache } from "../core/isolate-cache";
import { KV_FAILED, kvAttempt, kvWrite } from "../core/kv";
import { CACHEABLE_ROUTES, READ_ONLY_POSTS, resourceOf } from "./policy";

interface Entry {
  gen: string;
  status: number;
  contentType: string;
  body: string;
}

const genKey = (workspaceId: string, resource: string) => `rc:gen:${workspaceId}:${resource}`;

/** Invalidation is explicit (generations), never by request path. */
const NEVER = /$^/;
/** Answers above this size are served from KV only, so memory stays small (500 × 64 KB at most). */
const MEMORY_MAX_BODY = 64 * 1024;
const memoryGenerations = new IsolateCache<string>(NEVER);
const memoryEntries = new IsolateCache<Entry>(NEVER, 500);
/** Bumped by every invalidation in this isolate. */
let invalidations = 0;

function principalScope(c: Context<HonoEnv>): { workspaceId: string; permissions: unknown[] } | null {
  const p = c.var.principal;
  if (p.kind === "anonymous") return null;
  const who = p.kind === "api_key" ? `key:${p.credentialId}` : `user:${p.userId}`;
  return { workspaceId: p.workspaceId, permissions: [who, p.role, p.platformAdmin, [...p.scopes].sort()] };
}

/** Fixed length whatever the URL; JSON keeps `?a=1%262` and `?a=1&2` apart. */
async function cacheKey(c: Context<HonoEnv>, workspaceId: string, permissions: unknown[]): Promise<string> {
  const url = new URL(c.req.url);
  const query = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `rc:${await sha256Hex(JSON.stringify([workspaceId, permissions, url.pathname, query]))}`;
}

/** A KV read that fails is a miss: the route answers from D1 as if nothing were cached. */
const cacheRead = <T>(read: () => Promise<T | null>) => kvAttempt("CACHE", "get", read);

/** Bumps a resource's generation: every cached answer that depends on it becomes stale. */
export async function invalidate(
  kv: KVNamespace,
  workspaceId: string,
  resource: string,
  memoryTtlSeconds = 0,
): Promise<void> {
  const key = genKey(workspaceId, resource);
  const gen = `${Date.now()}-${randomString(6)}`;
  // This isolate stops serving the old generation at once, before KV has even answered.
  invalidations++;
  memoryGenerations.clear();
  memoryGenerations.set(key, gen, memoryTtlSeconds);
  await kv.put(key, gen);
}

/** null when KV could not say: nothing is served from or stored in the cache then. */
async function currentGeneration(c: Context<HonoEnv>, key: string, memoryTtlSeconds: number): Promise<string | null> {
  const remembered = memoryGenerations.get(key);
  if (remembered !== undefined) return remembered;
  const before = invalidations;
  const stored = await cacheRead(() => c.env.CACHE.get(key));
  if (stored === KV_FAILED) return null;
  const gen = stored ?? "0";
  // A read that raced a write here may have fetched the old generation: use it, don't keep it.
  if (before === invalidations) memoryGenerations.set(key, gen, memoryTtlSeconds);
  return gen;
}

/** Whether a cacheable GET passes its route's own validation (see validate.ts). */
export type RequestCheck = (c: Context<HonoEnv>, route: string) => boolean;

export function responseCache(isValid: RequestCheck): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const path = endpointPath(c);
    const scope = principalScope(c);
    if (!path || !scope) return next();

    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      await next();
      const resource = resourceOf(path);
      if (resource && c.res.status < 400 && !READ_ONLY_POSTS.has(`${c.req.method} ${path}`)) {
        // The write itself succeeded: a failed bump is logged (this isolate already forgot the old generation).
        await kvWrite("CACHE", "put", () =>
          invalidate(c.env.CACHE, scope.workspaceId, resource, c.var.config.CACHE_MEMORY_TTL_SECONDS),
        );
      }
      return;
    }

    const resource = CACHEABLE_ROUTES[`GET ${path}`];
    if (!resource || /no-cache|no-store/.test(c.req.header("Cache-Control") ?? "") || !isValid(c, path)) {
      await next();
      c.header("X-Cache", "BYPASS");
      return;
    }

    const key = await cacheKey(c, scope.workspaceId, scope.permissions);
    const memoryTtl = c.var.config.CACHE_MEMORY_TTL_SECONDS;
    const inMemory = memoryEntries.get(key);
    const [currentGen, entry] = await Promise.all([
      currentGeneration(c, genKey(scope.workspaceId, resource), memoryTtl),
      inMemory ?? cacheRead(() => c.env.CACHE.get<Entry>(key, "json")),
    ]);
    if (entry && entry !== KV_FAILED && entry.gen === currentGen) {
      if (!inMemory && entry.body.length <= MEMORY_MAX_BODY) memoryEntries.set(key, entry, memoryTtl);
      return c.body(entry.body, entry.status as 200, {
        "Content-Type": entry.contentType,
        "X-Cache": "HIT",
        "Cache-Control": "private, no-store",
      });
    }

    await next();
    if (c.res.status !== 200 || currentGen === null) {
      c.header("X-Cache", "BYPASS");
      return;
    }
    const body = await c.res.clone().text();
    const value: Entry = {
      gen: currentGen,
      status: 200,
      contentType: c.res.headers.get("Content-Type") ?? "application/json",
      body,
    };
    if (body.length <= MEMORY_MAX_BODY) memoryEntries.set(key, value, memoryTtl);
    background(
      c,
      "response_cache_put",
      kvWrite("CACHE", "put", () =>
        c.env.CACHE.put(key, JSON.stringify(value), { expirationTtl: c.var.config.CACHE_TTL_SECONDS }),
      ),
    );
    c.header("X-Cache", "MISS");
    c.header("Cache-Control", "private, no-store");
  };
}
