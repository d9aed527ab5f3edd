// Bearer credentials (API keys and access tokens) already resolved to a Principal, remembered
// by this isolate for AUTH_CACHE_TTL_SECONDS so a busy client does not pay a D1 round trip on
// every request. Entries are keyed by the credential's SHA-256 (never the secret) and by the
// workspace asked for, and never outlive the credential itself. Each configuration has its own
// entries: a token accepted under one key ring says nothing under another.
//
// Revocation: a write through this isolate to anything that decides who a caller is (keys,
// users, workspaces and memberships, sign-in and tokens, admin) forgets every entry at once, so
// it holds on the very next request here; other isolates forget within the TTL. Set the TTL to
// 0 to resolve every request against D1. Dashboard sessions are not cached: their sliding
// expiry is written on use.
import type { Config } from "../core/config";
import type { AuthenticatedPrincipal } from "../core/principal";

interface Entry {
  principal: AuthenticatedPrincipal;
  /** When this isolate must ask D1 again. */
  until: number;
  /** API keys: when last_used_at was last written, so the touch stays at once a minute. */
  touchedAt?: number | null;
}

const MAX_ENTRIES = 10_000;
const entries = new Map<string, Entry>();
const configIds = new WeakMap<Config, number>();
let nextConfigId = 0;

/** The cache key of a credential digest under a configuration. */
export function credentialKey(config: Config, digest: string): string {
  let id = configIds.get(config);
  if (id === undefined) configIds.set(config, (id = nextConfigId++));
  return `${id}:${digest}`;
}

/** Paths whose writes can change or end a principal. */
const IDENTITY_WRITES = /^\/api\/(keys|users|workspaces|auth|admin)(\/|$)/;

export function recall(key: string, now = Date.now()): Entry | undefined {
  const hit = entries.get(key);
  if (!hit) return undefined;
  if (hit.until > now) return hit;
  entries.delete(key);
  return undefined;
}

export function remember(key: string, entry: Entry, ttlSeconds: number): void {
  if (ttlSeconds <= 0) return;
  const until = Math.min(entry.until, Date.now() + ttlSeconds * 1000);
  // A scan of many credentials must not grow memory without bound.
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key, { ...entry, until });
}

export function forgetCredentials(): void {
  entries.clear();
}

/** Whether a request may have changed who some caller is (checked whatever its status: a
 * refused refresh-token reuse still revokes the family). */
export function changesIdentity(method: string, path: string): boolean {
  return method !== "GET" && method !== "HEAD" && method !== "OPTIONS" && IDENTITY_WRITES.test(path);
}
