import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import { tracedD1 } from "../trace/d1";
import * as schema from "./schema";

export type Database = DrizzleD1Database<typeof schema>;

// Every statement is a span of the active trace (trace/d1.ts: named by verb and table, no SQL).
// drizzle() walks the whole schema to build its relational config (about a millisecond of CPU
// here), and the result holds no per-request state: build it once per D1 binding and isolate.
const built = new WeakMap<D1Database, Database>();

export function createDb(d1: D1Database): Database {
  // A missing binding (a misconfigured environment) must still fail where D1 is used, as a 503.
  if (typeof d1 !== "object" || d1 === null) return drizzle(d1, { schema });
  let db = built.get(d1);
  if (!db) {
    db = drizzle(tracedD1(d1, "DB"), { schema });
    built.set(d1, db);
  }
  return db;
}
export { schema };
