// Response cache for cacheable GETs, in KV. Keys are scoped to the workspace AND the principal
// (visibility differs per user), so a body is never served across tenants or users.
// Invalidation is by generation: each (workspace, resource) has a generation in KV; a write
// bumps it, and a cached body is only served if it was stored under the current generation.
// KV is eventually consistent: other locations may serve the previous generation for up to
// ~60 s after a write; this location sees the write at once.
import type { Context, MiddlewareHandler } from "hono";
import { endpointPath } from "../core/authorize";
import { background } from "../core/background";
import type { HonoEnv } from "../core/env";
import { randomString } from "../core/ids";
import { CACHEABLE_ROUTES, READ_ONLY_POSTS, resourceOf } from "./policy";

interface Entry {
  gen: string;
  status: number;
  contentType: string;
  body: string;
}

const genKey = (workspaceId: string, resource: string) => `rc:gen:${workspaceId}:${resource}`;

function principalKey(c: Context<HonoEnv>): { workspaceId: string; who: string } | null {
  const p = c.var.principal;
  if (p.kind === "anonymous") return null;
  return { workspaceId: p.workspaceId, who: p.kind === "api_key" ? `key:${p.credentialId}` : `user:${p.userId}` };
}

function cacheKey(c: Context<HonoEnv>, workspaceId: string, who: string): string {
  const url = new URL(c.req.url);
  const query = [...url.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join("&");
  return `rc:${workspaceId}:${who}:${url.pathname}?${query}`;
}

/** Bumps a resource's generation: every cached answer that depends on it becomes stale. */
export async function invalidate(kv: KVNamespace, workspaceId: string, resource: string): Promise<void> {
  await kv.put(genKey(workspaceId, resource), `${Date.now()}-${randomString(6)}`);
}

export const responseCache: MiddlewareHandler<HonoEnv> = async (c, next) => {
  const path = endpointPath(c);
  const scope = principalKey(c);
  if (!path || !scope) return next();

  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    await next();
    const resource = resourceOf(path);
    if (resource && c.res.status < 400 && !READ_ONLY_POSTS.has(`${c.req.method} ${path}`)) await invalidate(c.env.CACHE, scope.workspaceId, resource);
    return;
  }

  const resource = CACHEABLE_ROUTES[`GET ${path}`];
  if (!resource || /no-cache|no-store/.test(c.req.header("Cache-Control") ?? "")) {
    await next();
    c.header("X-Cache", "BYPASS");
    return;
  }

  const key = cacheKey(c, scope.workspaceId, scope.who);
  const [gen, entry] = await Promise.all([
    c.env.CACHE.get(genKey(scope.workspaceId, resource)),
    c.env.CACHE.get<Entry>(key, "json"),
  ]);
  const currentGen = gen ?? "0";
  if (entry && entry.gen === currentGen) {
    return c.body(entry.body, entry.status as 200, { "Content-Type": entry.contentType, "X-Cache": "HIT", "Cache-Control": "private, no-store" });
  }

  await next();
  if (c.res.status !== 200) {
    c.header("X-Cache", "BYPASS");
    return;
  }
  const body = await c.res.clone().text();
  const value: Entry = { gen: currentGen, status: 200, contentType: c.res.headers.get("Content-Type") ?? "application/json", body };
  background(c, "response_cache_put", c.env.CACHE.put(key, JSON.stringify(value), { expirationTtl: c.var.config.CACHE_TTL_SECONDS }));
  c.header("X-Cache", "MISS");
  c.header("Cache-Control", "private, no-store");
};
