// Email + password verification shared by dashboard login, token issuance and password
// change. Every failure looks the same to the client (no account enumeration by message or
// timing), holds its throttling slot (worker/auth/throttle.ts), and is audited with its real
// reason; a throttled attempt is refused before the password is checked, and audited too.
import type { Context } from "hono";
import { audit, clientIp } from "../audit/audit";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { log } from "../core/logger";
import { findUserByEmail, normalizeEmail, type UserRow } from "../users/service";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { reserveSignIn, type SignInAttempt } from "./throttle";

export const INVALID_CREDENTIALS = "Invalid email or password";

export async function checkPassword(
  c: Context<HonoEnv>,
  email: string,
  password: string,
  action: string,
): Promise<UserRow> {
  const reserved = await reserveSignIn(c.env, normalizeEmail(email), clientIp(c));
  if (!reserved.allowed) {
    const { scope, retryAfterSeconds } = reserved;
    log(c, "warn", "sign_in_throttled", { action, scope, retry_after_seconds: retryAfterSeconds });
    const user = await findUserByEmail(c.var.services.db, email);
    await audit(c, {
      action,
      outcome: "denied",
      workspaceId: null,
      actor: { id: user?.id ?? null, kind: "user" },
      targetType: "user",
      ...(user ? { targetId: user.id } : {}),
      detail: { reason: "throttled", scope, retry_after_seconds: retryAfterSeconds },
    });
    throw new ApiError("RATE_LIMITED", "Too many failed sign-in attempts; try again later", {
      details: { retry_after_seconds: retryAfterSeconds },
      headers: { "Retry-After": String(retryAfterSeconds) },
    });
  }
  const user = await verify(c, email, password, reserved.attempt);
  const reason = !user.row ? "unknown_account" : !user.ok ? "bad_password" : user.row.disabledAt ? "disabled" : null;
  if (reason || !user.row) {
    await audit(c, {
      action,
      outcome: "failure",
      workspaceId: null,
      actor: { id: user.row?.id ?? null, kind: "user" },
      targetType: "user",
      ...(user.row ? { targetId: user.row.id } : {}),
      detail: { reason },
    });
    throw new ApiError("UNAUTHENTICATED", INVALID_CREDENTIALS);
  }
  await reserved.attempt.succeeded();
  return user.row;
}

/** Looks the account up and checks the password; an error on the way is no failed guess, so it gives the slots back. */
async function verify(
  c: Context<HonoEnv>,
  email: string,
  password: string,
  attempt: SignInAttempt,
): Promise<{ row: UserRow | undefined; ok: boolean }> {
  const pepper = c.var.config.PASSWORD_PEPPER;
  try {
    const row = await findUserByEmail(c.var.services.db, email);
    const ok =
      row?.passwordHash && row.kind === "human"
        ? await verifyPassword(password, row.passwordHash, pepper)
        : await verifyAgainstDummy(password, pepper);
    return { row, ok };
  } catch (err) {
    await attempt.abandoned();
    throw err;
  }
}

/**
 * Audits a successful sign-in (signup, login, token): the request carries no principal yet, so the
 * actor is the account just identified, acting in `workspaceId`.
 */
export const auditSignIn = (
  c: Context<HonoEnv>,
  action: string,
  userId: string,
  workspaceId: string,
  target: { type: string; id: string },
) =>
  audit(c, { action, workspaceId, actor: { id: userId, kind: "user" }, targetType: target.type, targetId: target.id });
