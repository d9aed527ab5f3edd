// Refresh tokens (OWASP ASVS V9/V7): opaque, stored as SHA-256, single use. Each refresh
// rotates to a new token in the same family; presenting a spent token means it was stolen
// (or replayed), so the whole family — and every access token minted from it — is revoked.

import { and, eq, exists, gt, isNull, sql } from "drizzle-orm";
import type { Context } from "hono";
import { audit } from "../audit/audit";
import type { Database } from "../core/db";
import { memberships, refreshTokens, users } from "../core/db/schema";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { newId, sha256Hex } from "../core/ids";
import { randomBytes, toBase64Url } from "./encoding";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from "./jwt";
import type { TokenResponse } from "./schemas";

/**
 * SQL true while a user's refresh family still holds a token that is neither revoked nor expired:
 * what keeps the family's access tokens (and the sockets opened with them) valid. A family that
 * never existed (a token signed with a leaked key) is no better than a revoked one.
 */
export function familyLive(db: Database, familyId: string, userId: string, now: number) {
  const live = exists(
    db
      .select({ one: sql`1` })
      .from(refreshTokens)
      .where(
        and(
          eq(refreshTokens.familyId, familyId),
          eq(refreshTokens.userId, userId),
          isNull(refreshTokens.revokedAt),
          gt(refreshTokens.expiresAt, now),
        ),
      ),
  );
  return sql<number>`${live}`;
}

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/** A distinct prefix lets secret scanners recognise leaked refresh tokens. */
const REFRESH_PREFIX = "lhr_";

const invalid = () => new ApiError("UNAUTHENTICATED", "Invalid, expired or revoked refresh token");

/** Stores a new refresh token in `familyId` and signs an access token bound to that family. */
export async function issueTokens(
  c: Context<HonoEnv>,
  userId: string,
  workspaceId: string,
  familyId: string,
): Promise<TokenResponse> {
  const refresh = `${REFRESH_PREFIX}${toBase64Url(randomBytes(32))}`;
  const now = Date.now();
  await c.var.services.db.insert(refreshTokens).values({
    id: newId("rt"),
    tokenHash: await sha256Hex(refresh),
    familyId,
    userId,
    workspaceId,
    expiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
    createdAt: now,
  });
  const { token } = await signAccessToken(c.var.config, userId, workspaceId, familyId);
  return {
    access_token: token,
    token_type: "Bearer",
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    refresh_token: refresh,
    refresh_expires_in: REFRESH_TOKEN_TTL_SECONDS,
    workspace_id: workspaceId,
  };
}

/** Ends a family (reuse, API-client sign-out); access tokens minted from it stop working too. */
export async function revokeFamily(db: Database, familyId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: Date.now() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

export async function rotate(c: Context<HonoEnv>, presented: string): Promise<TokenResponse> {
  const db = c.var.services.db;
  const row = await db
    .select({
      id: refreshTokens.id,
      familyId: refreshTokens.familyId,
      workspaceId: refreshTokens.workspaceId,
      expiresAt: refreshTokens.expiresAt,
      usedAt: refreshTokens.usedAt,
      revokedAt: refreshTokens.revokedAt,
      userId: users.id,
      disabledAt: users.disabledAt,
      role: memberships.role,
    })
    .from(refreshTokens)
    .innerJoin(users, eq(users.id, refreshTokens.userId))
    .leftJoin(
      memberships,
      and(eq(memberships.userId, refreshTokens.userId), eq(memberships.workspaceId, refreshTokens.workspaceId)),
    )
    .where(eq(refreshTokens.tokenHash, await sha256Hex(presented)))
    .get();
  if (!row || row.revokedAt) throw invalid();
  const reuse = async () => {
    await revokeFamily(db, row.familyId);
    await audit(c, {
      action: "auth.refresh_reuse",
      outcome: "denied",
      workspaceId: row.workspaceId,
      actor: { id: row.userId, kind: "user" },
      targetType: "token_family",
      targetId: row.familyId,
    });
    return invalid();
  };
  if (row.usedAt) throw await reuse();
  if (row.expiresAt <= Date.now() || row.disabledAt || !row.role) throw invalid();
  // The conditional update is the single-use guarantee when two refreshes race.
  const claimed = await db
    .update(refreshTokens)
    .set({ usedAt: Date.now() })
    .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  if (claimed.length === 0) throw await reuse();
  const tokens = await issueTokens(c, row.userId, row.workspaceId, row.familyId);
  await audit(c, {
    action: "auth.refresh",
    workspaceId: row.workspaceId,
    actor: { id: row.userId, kind: "user" },
    targetType: "token_family",
    targetId: row.familyId,
  });
  return tokens;
}

export const newFamilyId = () => newId("fam");
