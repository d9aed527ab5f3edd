// The one lookup most features start from: a single row matching a condition (its id within the
// caller's workspace), or a 404 naming what was looked for.
import type { SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { firstOrNotFound } from "../errors";
import type { Database } from ".";

/** The first row of `table` matching `where`; a 404 naming `what` when none does. */
export function findRow<T extends SQLiteTable>(
  db: Database,
  table: T,
  where: SQL | undefined,
  what: string,
): Promise<T["$inferSelect"]> {
  return firstOrNotFound(db.select().from(table).where(where).limit(1), what);
}
