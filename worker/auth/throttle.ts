// Sign-in throttling (OWASP ASVS V6.3): exact counts of failures per account and per client
// address over a sliding window, kept in D1 (KV's eventual consistency would let bursts
// through). A throttled attempt is refused before the password is even checked.
import { and, count, eq, gt, inArray, lt, min, or } from "drizzle-orm";
import type { Database } from "../core/db";
import { authFailures } from "../core/db/schema";
import { ApiError } from "../core/errors";

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const ACCOUNT_FAILURE_LIMIT = 5;
export const IP_FAILURE_LIMIT = 20;

export interface ThrottleKeys {
  account: string;
  ip: string;
}

export const throttleKeys = (email: string, ip: string | null): ThrottleKeys => ({
  account: `acct:${email}`,
  ip: `ip:${ip ?? "unknown"}`,
});

export async function assertNotThrottled(db: Database, keys: ThrottleKeys, now = Date.now()): Promise<void> {
  const since = now - THROTTLE_WINDOW_MS;
  const rows = await db
    .select({ bucket: authFailures.bucket, failures: count(), oldest: min(authFailures.createdAt) })
    .from(authFailures)
    .where(and(inArray(authFailures.bucket, [keys.account, keys.ip]), gt(authFailures.createdAt, since)))
    .groupBy(authFailures.bucket);
  for (const row of rows) {
    const limit = row.bucket === keys.account ? ACCOUNT_FAILURE_LIMIT : IP_FAILURE_LIMIT;
    if (row.failures >= limit) {
      const retryAfter = Math.max(1, Math.ceil(((row.oldest ?? now) + THROTTLE_WINDOW_MS - now) / 1000));
      throw new ApiError("RATE_LIMITED", "Too many failed sign-in attempts; try again later", {
        details: { retry_after_seconds: retryAfter },
        headers: { "Retry-After": String(retryAfter) },
      });
    }
  }
}

export async function recordFailure(db: Database, keys: ThrottleKeys, now = Date.now()): Promise<void> {
  await db.batch([
    db.insert(authFailures).values([
      { bucket: keys.account, createdAt: now },
      { bucket: keys.ip, createdAt: now },
    ]),
    // Rows that left the window are no longer needed; pruning here keeps the table small.
    db.delete(authFailures).where(and(or(eq(authFailures.bucket, keys.account), eq(authFailures.bucket, keys.ip)), lt(authFailures.createdAt, now - THROTTLE_WINDOW_MS))),
  ]);
}

/** A successful sign-in forgives the account's earlier failures (not the address's). */
export async function clearAccountFailures(db: Database, keys: ThrottleKeys): Promise<void> {
  await db.delete(authFailures).where(eq(authFailures.bucket, keys.account));
}
