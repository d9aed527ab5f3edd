// Small caches an isolate keeps in front of D1 for what nearly every request reads again (who
// is calling, which agent it talks to). An entry lives at most its TTL and never past the
// expiry it was given. A write through this isolate to a path a cache depends on forgets that
// whole cache at once (`forgetCachesOnWrite`, whatever the write's status: a refused refresh
// token still revokes its family), so the next request here sees the change; other isolates see
// it within the TTL. A TTL of 0 turns a cache off.
import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "./env";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const caches: IsolateCache<unknown>[] = [];

export class IsolateCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  /** `dependsOn`: request paths whose writes may change what this cache holds. */
  constructor(
    private readonly dependsOn: RegExp,
    private readonly maxEntries = 10_000,
  ) {
    caches.push(this as IsolateCache<unknown>);
  }

  get(key: string, now = Date.now()): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until > now) return hit.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Keeps `value` for `ttlSeconds`, or until `expiresAt` (ms) if that is sooner. */
  set(key: string, value: T, ttlSeconds: number, expiresAt = Number.POSITIVE_INFINITY): void {
    if (ttlSeconds <= 0) return;
    // A scan of many keys must not grow memory without bound.
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, until: Math.min(expiresAt, Date.now() + ttlSeconds * 1000) });
  }

  clear(): void {
    this.entries.clear();
  }

  /** Forgets everything if a write to `path` may have changed it. */
  forgetAfter(method: string, path: string): void {
    if (!SAFE_METHODS.has(method) && this.dependsOn.test(path)) this.clear();
  }
}

/** Runs the request, then forgets every cache its write may have made stale. */
export const forgetCachesOnWrite: MiddlewareHandler<HonoEnv> = async (c, next) => {
  if (SAFE_METHODS.has(c.req.method)) return next();
  try {
    await next();
  } finally {
    for (const cache of caches) cache.forgetAfter(c.req.method, c.req.path);
  }
};
