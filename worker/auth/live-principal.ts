// A WebSocket outlives the request that opened it, so the principal checked at the handshake
// can lose its access while the socket is open: sign-out, a revoked session, key or token
// family, a disabled user, a removed membership or a demotion. Sockets record a reference to
// the credential they were opened with (never the secret) and the Durable Object holding them
// re-resolves it from D1 here (socket-guard.ts says when), with the same rules as resolve.ts.

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../core/db";
import { apiKeys, memberships, sessions, users } from "../core/db/schema";
import type { AuthenticatedPrincipal } from "../core/principal";
import { familyLive } from "./refresh-tokens";
import { apiKeyPrincipal, human, keyColumns, userColumns } from "./resolve";
import { SESSION_ABSOLUTE_MS } from "./sessions";

/** Who opened a socket: the user, the workspace it acts in and the credential to re-check. */
export const SocketPrincipal = z.object({
  userId: z.string().min(1).max(64),
  workspaceId: z.string().min(1).max(64),
  via: z.enum(["session", "jwt", "api_key"]),
  /** Session id, refresh-token family id or API key id (Principal.credentialId). */
  credentialId: z.string().min(1).max(64),
});
export type SocketPrincipal = z.infer<typeof SocketPrincipal>;

export const socketPrincipal = (p: AuthenticatedPrincipal): SocketPrincipal => ({
  userId: p.userId,
  workspaceId: p.workspaceId,
  via: p.via,
  credentialId: p.credentialId,
});

/** A principal handed between the Worker and a Durable Object as JSON; null if absent or malformed. */
export function parseSocketPrincipal(json: string | null): SocketPrincipal | null {
  if (json === null) return null;
  try {
    const parsed = SocketPrincipal.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Why a recorded principal no longer stands. */
export type Lapse = "user_disabled" | "credential_revoked" | "membership_removed";

const liveColumns = { ...userColumns, role: memberships.role };
const memberOf = (workspaceId: string, userId: typeof users.id | typeof apiKeys.userId) =>
  and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId));

/** The principal as it stands now (current role and scopes), or why it lapsed. One D1 query. */
export async function currentPrincipal(db: Database, ref: SocketPrincipal): Promise<AuthenticatedPrincipal | Lapse> {
  const now = Date.now();
  if (ref.via === "api_key") {
    const row = await db
      .select({ ...keyColumns, ...liveColumns })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .leftJoin(memberships, memberOf(ref.workspaceId, apiKeys.userId))
      .where(
        and(eq(apiKeys.id, ref.credentialId), eq(apiKeys.userId, ref.userId), eq(apiKeys.workspaceId, ref.workspaceId)),
      )
      .get();
    if (row?.disabledAt) return "user_disabled";
    if (!row || row.revokedAt || (row.expiresAt !== null && row.expiresAt <= now)) return "credential_revoked";
    return row.role ? apiKeyPrincipal(row, row.role) : "membership_removed";
  }
  if (ref.via === "session") {
    const row = await db
      .select({
        revokedAt: sessions.revokedAt,
        expiresAt: sessions.expiresAt,
        createdAt: sessions.createdAt,
        ...liveColumns,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .leftJoin(memberships, memberOf(ref.workspaceId, users.id))
      .where(and(eq(sessions.id, ref.credentialId), eq(sessions.userId, ref.userId)))
      .get();
    if (row?.disabledAt) return "user_disabled";
    if (row?.kind !== "human" || row.revokedAt || row.expiresAt <= now || row.createdAt + SESSION_ABSOLUTE_MS <= now)
      return "credential_revoked";
    return row.role ? human(row, ref.workspaceId, row.role, ref.credentialId, "session") : "membership_removed";
  }
  const row = await db
    .select({ ...liveColumns, familyLive: familyLive(db, ref.credentialId, ref.userId, now) })
    .from(users)
    .leftJoin(memberships, memberOf(ref.workspaceId, users.id))
    .where(eq(users.id, ref.userId))
    .get();
  if (row?.disabledAt) return "user_disabled";
  if (row?.kind !== "human" || !row.familyLive) return "credential_revoked";
  return row.role ? human(row, ref.workspaceId, row.role, ref.credentialId, "jwt") : "membership_removed";
}
