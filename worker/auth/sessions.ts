// Dashboard sessions (OWASP ASVS V7): the cookie holds 32 random bytes; only their SHA-256
// is stored. Sessions end after 7 idle days or 30 days in all, at logout, at password change
// and when the user is disabled. `__Host-` pins the cookie to this host, path / and HTTPS
// (browsers treat http://localhost as secure, so it works under `wrangler dev` too).

import { and, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Database } from "../core/db";
import { apiKeys, refreshTokens, sessions } from "../core/db/schema";
import type { HonoEnv } from "../core/env";
import { newId, sha256Hex } from "../core/ids";
import { opaqueToken } from "./encoding";

export const SESSION_COOKIE = "lh_session";
export const SESSION_IDLE_MS = 7 * 24 * 3600 * 1000;
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3600 * 1000;
/** Sliding expiry is written at most this often per session, to keep requests read-only. */
export const SESSION_TOUCH_INTERVAL_MS = 3600 * 1000;

export const readSessionCookie = (c: Context<HonoEnv>) => getCookie(c, SESSION_COOKIE, "host");

export function clearSessionCookie(c: Context<HonoEnv>) {
  deleteCookie(c, SESSION_COOKIE, { prefix: "host", path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
}

/** Creates a session for the user and sets its cookie; returns the session id. */
export async function startSession(c: Context<HonoEnv>, userId: string, workspaceId: string): Promise<string> {
  const token = opaqueToken();
  const now = Date.now();
  const id = newId("ses");
  await c.var.services.db.insert(sessions).values({
    id,
    tokenHash: await sha256Hex(token),
    userId,
    workspaceId,
    ip: c.req.header("CF-Connecting-IP") ?? null,
    userAgent: c.req.header("User-Agent")?.slice(0, 256) ?? null,
    expiresAt: now + SESSION_IDLE_MS,
    createdAt: now,
  });
  setCookie(c, SESSION_COOKIE, token, {
    prefix: "host",
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Lax",
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
  return id;
}

/** Revokes the session a raw cookie value names, if any; returns its id. */
export async function revokeSessionByToken(db: Database, token: string): Promise<string | null> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: Date.now() })
    .where(and(eq(sessions.tokenHash, await sha256Hex(token)), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows[0]?.id ?? null;
}

/** The statements that end a user's live sessions and refresh-token families. */
const credentialRevocations = (db: Database, userId: string, now: number) =>
  [
    db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt))),
    db
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt))),
  ] as const;

/** Ends every session and refresh-token family of a user (password change). */
export async function revokeAllCredentials(db: Database, userId: string): Promise<void> {
  await db.batch(credentialRevocations(db, userId, Date.now()));
}

/**
 * Ends everything a user can act with (disable): sessions, refresh-token families and the API keys
 * that act for them, which stay revoked when the user is enabled again. Returns the revoked keys' ids.
 */
export async function revokeAllAccess(db: Database, userId: string): Promise<string[]> {
  const now = Date.now();
  const [, , keys] = await db.batch([
    ...credentialRevocations(db, userId, now),
    db
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id }),
  ]);
  return keys.map((k) => k.id);
}

/** The new idle expiry if it is due for a refresh, else null; never past the absolute limit. */
export function slidingExpiry(session: { createdAt: number; expiresAt: number }, now: number): number | null {
  const next = Math.min(now + SESSION_IDLE_MS, session.createdAt + SESSION_ABSOLUTE_MS);
  return next - session.expiresAt >= SESSION_TOUCH_INTERVAL_MS ? next : null;
}
