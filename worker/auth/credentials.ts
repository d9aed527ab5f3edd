// Email + password verification shared by dashboard login, token issuance and password
// change. Every failure looks the same to the client (no account enumeration by message or
// timing), is counted for throttling, and is audited with its real reason.
import type { Context } from "hono";
import { audit, clientIp } from "../audit/audit";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { log } from "../core/logger";
import { findUserByEmail, normalizeEmail, type UserRow } from "../users/service";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { assertNotThrottled, clearAccountFailures, recordFailure, throttleKeys } from "./throttle";

export const INVALID_CREDENTIALS = "Invalid email or password";

export async function checkPassword(c: Context<HonoEnv>, email: string, password: string, action: string): Promise<UserRow> {
  const db = c.var.services.db;
  const pepper = c.var.config.PASSWORD_PEPPER;
  const keys = throttleKeys(normalizeEmail(email), clientIp(c));
  try {
    await assertNotThrottled(db, keys);
  } catch (err) {
    log(c, "warn", "sign_in_throttled", { action });
    throw err;
  }
  const user = await findUserByEmail(db, email);
  const ok = user?.passwordHash && user.kind === "human" ? await verifyPassword(password, user.passwordHash, pepper) : await verifyAgainstDummy(password, pepper);
  const reason = !user ? "unknown_account" : !ok ? "bad_password" : user.disabledAt ? "disabled" : null;
  if (reason || !user) {
    await recordFailure(db, keys);
    await audit(c, {
      action,
      outcome: "failure",
      workspaceId: null,
      actor: { id: user?.id ?? null, kind: "user" },
      targetType: "user",
      ...(user ? { targetId: user.id } : {}),
      detail: { reason },
    });
    throw new ApiError("UNAUTHENTICATED", INVALID_CREDENTIALS);
  }
  await clearAccountFailures(db, keys);
  return user;
}
