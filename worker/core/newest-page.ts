// A list route's answer in one call: the page of a query, newest first (cursor.ts), each row
// turned into what the API returns. Lists whose rows need reshaping first use cursor.ts directly.
import type { SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteSelect } from "drizzle-orm/sqlite-core";
import { newestFirst, toPage } from "./cursor";

/** `{ data, next_cursor }` of `query` after `page.cursor`, rows matching every filter, mapped by `map`. */
export async function newestPage<Q extends SQLiteSelect & PromiseLike<{ createdAt: number; id: string }[]>, T>(
  query: Q,
  key: { createdAt: SQLiteColumn; id: SQLiteColumn },
  page: { cursor?: string | undefined; limit: number },
  map: (row: Awaited<Q>[number]) => T,
  ...filters: (SQL | undefined)[]
) {
  return toPage(await newestFirst(query, key, page, ...filters), page.limit, map);
}
