// Turns a presented credential into a Principal with one D1 round trip: the credential, its
// user and the membership that decides the request's workspace are read in a single join.
// Workspace order: X-Workspace-Id (must be a member, else 404) > token `wid` > the session's
// current workspace > the personal workspace.

import { and, eq, exists, or, sql } from "drizzle-orm";
import type { Context } from "hono";
import { background } from "../core/background";
import { apiKeys, memberships, sessions, users, workspaces } from "../core/db/schema";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { sha256Hex } from "../core/ids";
import type { AuthenticatedPrincipal, WorkspaceRole } from "../core/principal";
import { effectiveScopes } from "../keys/scopes";
import { type CredentialEntry, credentialKey, credentials } from "./credential-cache";
import { type AccessClaims, InvalidTokenError, verifyAccessToken } from "./jwt";
import { familyLive } from "./refresh-tokens";
import { SESSION_ABSOLUTE_MS, slidingExpiry } from "./sessions";

/** API keys' last-used time is written at most once a minute per key. */
const KEY_TOUCH_INTERVAL_MS = 60_000;

const unauthenticated = (message: string) => new ApiError("UNAUTHENTICATED", message);
const workspaceNotFound = () => new ApiError("NOT_FOUND", "Workspace not found");

/** What every credential check reads of the user (here and in live-principal.ts). */
export const userColumns = {
  userId: users.id,
  email: users.email,
  platformRole: users.platformRole,
  kind: users.kind,
  disabledAt: users.disabledAt,
};

/** What every API-key check reads of the key. */
export const keyColumns = {
  keyId: apiKeys.id,
  keyWorkspace: apiKeys.workspaceId,
  scopes: apiKeys.scopes,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
};

const membershipColumns = { memberWorkspace: memberships.workspaceId, role: memberships.role };

export async function principalFromApiKey(
  c: Context<HonoEnv>,
  key: string,
  requested: string | undefined,
): Promise<AuthenticatedPrincipal> {
  const db = c.var.services.db;
  const keyHash = await sha256Hex(key);
  const cacheKey = credentialKey(c.var.config, `key:${keyHash}`);
  const cached = credentials.get(cacheKey);
  if (cached) {
    if (requested !== undefined && requested !== cached.principal.workspaceId) throw workspaceNotFound();
    touchKey(c, cached);
    return cached.principal;
  }
  const row = await db
    .select({ ...keyColumns, lastUsedAt: apiKeys.lastUsedAt, ...userColumns, ...membershipColumns })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(
      memberships,
      and(eq(memberships.workspaceId, apiKeys.workspaceId), eq(memberships.userId, apiKeys.userId)),
    )
    .where(eq(apiKeys.keyHash, keyHash))
    .get();
  const now = Date.now();
  // One message for every reason, so a caller cannot probe which keys exist or were revoked.
  if (!row || row.revokedAt || (row.expiresAt !== null && row.expiresAt <= now) || row.disabledAt || !row.role) {
    throw unauthenticated("Invalid, expired or revoked API key");
  }
  if (requested !== undefined && requested !== row.keyWorkspace) throw workspaceNotFound();
  const entry: CredentialEntry = { principal: apiKeyPrincipal(row, row.role), touchedAt: row.lastUsedAt };
  touchKey(c, entry);
  credentials.set(cacheKey, entry, c.var.config.AUTH_CACHE_TTL_SECONDS, row.expiresAt ?? undefined);
  return entry.principal;
}

/** Writes the key's last-used time at most once a minute (in the background). */
function touchKey(c: Context<HonoEnv>, entry: CredentialEntry) {
  const now = Date.now();
  if (entry.touchedAt != null && now - entry.touchedAt < KEY_TOUCH_INTERVAL_MS) return;
  entry.touchedAt = now;
  background(
    c,
    "api_key_last_used",
    c.var.services.db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, entry.principal.credentialId)),
  );
}

/** The principal an API key acts as, given its owner's current role in the key's workspace. */
export function apiKeyPrincipal(
  row: {
    keyId: string;
    keyWorkspace: string;
    scopes: string[];
    userId: string;
    email: string;
    kind: "human" | "service";
  },
  role: WorkspaceRole,
): AuthenticatedPrincipal {
  return {
    kind: "api_key",
    via: "api_key",
    userId: row.userId,
    email: row.email,
    workspaceId: row.keyWorkspace,
    role: "service",
    platformAdmin: false,
    scopes: effectiveScopes(row.scopes, { kind: row.kind, role }),
    credentialId: row.keyId,
  };
}

export async function principalFromJwt(
  c: Context<HonoEnv>,
  token: string,
  requested: string | undefined,
): Promise<AuthenticatedPrincipal> {
  // A token seen before, for the same workspace, was verified then and cannot have changed.
  const cacheKey = credentialKey(c.var.config, `jwt:${await sha256Hex(token)}:${requested ?? ""}`);
  const cached = credentials.get(cacheKey);
  if (cached) return cached.principal;
  let claims: AccessClaims;
  try {
    claims = await verifyAccessToken(c.var.config, token);
  } catch (err) {
    if (err instanceof InvalidTokenError) throw unauthenticated("Invalid or expired access token");
    throw err;
  }
  const target = requested ?? claims.wid;
  const db = c.var.services.db;
  const row = await db
    .select({ ...userColumns, ...membershipColumns, familyLive: familyLive(db, claims.fam, claims.sub, Date.now()) })
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, target)))
    .where(eq(users.id, claims.sub))
    .get();
  // Password change, disabling, sign-out and refresh-token reuse revoke the family in D1, ending its access tokens at once.
  if (!row || row.disabledAt || row.kind !== "human" || !row.familyLive)
    throw unauthenticated("Invalid or expired access token");
  if (!row.role) {
    if (requested !== undefined) throw workspaceNotFound();
    throw unauthenticated("The token's workspace is no longer accessible; request a new token");
  }
  // The family, not the jti, is what a sign-out revokes.
  const principal = human(row, target, row.role, claims.fam, "jwt");
  credentials.set(cacheKey, { principal }, c.var.config.AUTH_CACHE_TTL_SECONDS, claims.exp * 1000);
  return principal;
}

export async function principalFromSession(
  c: Context<HonoEnv>,
  token: string,
  requested: string | undefined,
): Promise<AuthenticatedPrincipal | null> {
  const db = c.var.services.db;
  const personal = exists(
    db
      .select({ one: sql`1` })
      .from(workspaces)
      .where(
        and(
          eq(workspaces.id, memberships.workspaceId),
          eq(workspaces.personal, true),
          eq(workspaces.ownerId, users.id),
        ),
      ),
  );
  const rows = await db
    .select({
      sessionId: sessions.id,
      sessionWorkspace: sessions.workspaceId,
      expiresAt: sessions.expiresAt,
      createdAt: sessions.createdAt,
      revokedAt: sessions.revokedAt,
      ...userColumns,
      ...membershipColumns,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(
      memberships,
      and(
        eq(memberships.userId, users.id),
        requested !== undefined
          ? eq(memberships.workspaceId, requested)
          : or(eq(memberships.workspaceId, sessions.workspaceId), personal),
      ),
    )
    .where(eq(sessions.tokenHash, await sha256Hex(token)));
  const first = rows[0];
  const now = Date.now();
  if (
    !first ||
    first.revokedAt ||
    first.expiresAt <= now ||
    first.createdAt + SESSION_ABSOLUTE_MS <= now ||
    first.disabledAt ||
    first.kind !== "human"
  )
    return null;
  const chosen =
    requested !== undefined
      ? rows.find((r) => r.memberWorkspace === requested)
      : (rows.find((r) => r.memberWorkspace === first.sessionWorkspace) ?? rows.find((r) => r.memberWorkspace));
  if (!chosen?.memberWorkspace || !chosen.role) {
    if (requested !== undefined) throw workspaceNotFound();
    return null;
  }
  const expiry = slidingExpiry(first, now);
  if (expiry !== null)
    background(
      c,
      "session_touch",
      db.update(sessions).set({ expiresAt: expiry }).where(eq(sessions.id, first.sessionId)),
    );
  return human(first, chosen.memberWorkspace, chosen.role, first.sessionId, "session");
}

/** A person's principal in `workspaceId`, signed in through `via`. */
export function human(
  row: { userId: string; email: string; platformRole: "platform_admin" | "member" },
  workspaceId: string,
  role: WorkspaceRole,
  credentialId: string,
  via: "jwt" | "session",
): AuthenticatedPrincipal {
  return {
    kind: "user",
    via,
    userId: row.userId,
    email: row.email,
    workspaceId,
    role,
    platformAdmin: row.platformRole === "platform_admin",
    scopes: [],
    credentialId,
  };
}
