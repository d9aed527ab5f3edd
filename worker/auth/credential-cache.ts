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
import { IsolateCache } from "../core/isolate-cache";
import type { AuthenticatedPrincipal } from "../core/principal";

export interface CredentialEntry {
  principal: AuthenticatedPrincipal;
  /** API keys: when last_used_at was last written, so the touch stays at once a minute. */
  touchedAt?: number | null;
}

export const credentials = new IsolateCache<CredentialEntry>(/^\/api\/(keys|users|workspaces|auth|admin)(\/|$)/);

const configIds = new WeakMap<Config, number>();
let nextConfigId = 0;

/** The cache key of a credential digest under a configuration. */
export function credentialKey(config: Config, digest: string): string {
  let id = configIds.get(config);
  if (id === undefined) configIds.set(config, (id = nextConfigId++));
  return `${id}:${digest}`;
}
