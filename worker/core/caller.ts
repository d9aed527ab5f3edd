// How a handler starts: the signed-in caller and the request's database, and, on routes that
// address one resource, that resource loaded by the feature's own finder (which answers 404 for
// a row the caller may not see, another workspace's included).
import type { Context } from "hono";
import type { Database } from "./db";
import type { HonoEnv } from "./env";
import type { AuthenticatedPrincipal } from "./principal";
import { signedIn } from "./signed-in";

/** A feature's lookup of one row by id, scoped to what `p` may see; it throws 404 when absent. */
export type Finder<R> = (db: Database, p: AuthenticatedPrincipal, id: string) => Promise<R>;

/** The signed-in caller (or a 401) and the database. */
export function caller(c: Context<HonoEnv>) {
  return { p: signedIn(c.var.principal), db: c.var.services.db };
}

/** The signed-in caller, the database, and the row `id` names, found with `find`. */
export async function callerWith<R>(c: Context<HonoEnv>, find: Finder<R>, id: string) {
  const { p, db } = caller(c);
  return { p, db, row: await find(db, p, id) };
}
