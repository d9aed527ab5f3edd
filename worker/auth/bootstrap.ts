// The first platform admin, created from ADMIN_EMAIL / ADMIN_PASSWORD the first time this
// isolate serves a request, so a fresh `wrangler dev` (or test run) can sign in at once.
// Idempotent: an existing account is left alone, so a changed password is never reset.
import type { Config } from "../core/config";
import type { Database } from "../core/db";
import { ApiError } from "../core/errors";
import { writeLog } from "../core/logger";
import { createHuman, findUserByEmail } from "../users/service";
import { hashPassword } from "./password";

const done = new WeakMap<D1Database, Promise<void>>();

async function bootstrap(db: Database, config: Config): Promise<void> {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = config;
  if (!email || !password) return;
  if (await findUserByEmail(db, email)) return;
  try {
    await createHuman(db, {
      email,
      name: "Administrator",
      passwordHash: await hashPassword(password, config.PASSWORD_PEPPER),
      platformAdmin: true,
    });
    writeLog("info", "admin_bootstrapped", { email }, config.LOG_LEVEL);
  } catch (err) {
    // Another isolate created it first.
    if (!(err instanceof ApiError && err.code === "CONFLICT")) throw err;
  }
}

/** Runs the bootstrap once per D1 binding; a failure is logged and retried on the next request. */
export function ensureAdmin(d1: D1Database | undefined, db: Database, config: Config): Promise<void> {
  // Without a database (a broken binding) there is nobody to create; /ready reports the binding.
  if (!d1) return Promise.resolve();
  let pending = done.get(d1);
  if (!pending) {
    pending = bootstrap(db, config).catch((err: unknown) => {
      done.delete(d1);
      writeLog("error", "admin_bootstrap_failed", { error: String(err) });
    });
    done.set(d1, pending);
  }
  return pending;
}
