// Keyset pagination over (created_at, id), newest first, for every list the API pages, and over a
// position (a version number, a case's place) for the lists kept in order. The cursor is opaque to
// clients; a tampered one is a 400, never a 500.
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteSelect } from "drizzle-orm/sqlite-core";
import { ApiError } from "./errors";

interface Position {
  t: number;
  id: string;
}

const encode = (p: Position) =>
  btoa(JSON.stringify([p.t, p.id]))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

function decode(cursor: string): Position {
  try {
    const value: unknown = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === "string") {
      return { t: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

const invalidCursor = () =>
  new ApiError("VALIDATION_ERROR", "Invalid cursor", {
    details: { fields: [{ path: "cursor", message: "not a cursor this API issued", code: "custom" }] },
  });

/** The WHERE condition for rows after `cursor` (undefined on the first page). */
export function afterCursor(cursor: string | undefined, createdAt: SQLiteColumn, id: SQLiteColumn): SQL | undefined {
  if (!cursor) return undefined;
  const p = decode(cursor);
  return or(lt(createdAt, p.t), and(eq(createdAt, p.t), lt(id, p.id)));
}

/**
 * One page of a query (built with `.$dynamic()`), newest first: rows matching every filter that
 * lie after the cursor, `limit + 1` of them so toPage can tell whether another page exists.
 */
export function newestFirst<Q extends SQLiteSelect>(
  query: Q,
  key: { createdAt: SQLiteColumn; id: SQLiteColumn },
  page: { cursor?: string | undefined; limit: number },
  ...filters: (SQL | undefined)[]
) {
  return query
    .where(and(...filters, afterCursor(page.cursor, key.createdAt, key.id)))
    .orderBy(desc(key.createdAt), desc(key.id))
    .limit(page.limit + 1);
}

/** Rows were fetched with `limit + 1`; the extra one only says whether another page exists. */
export function toPage<R extends { createdAt: number; id: string }, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
): { data: T[]; next_cursor: string | null } {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    data: pageRows.map(map),
    next_cursor: rows.length > limit && last ? encode({ t: last.createdAt, id: last.id }) : null,
  };
}

/** The position a positional cursor names (undefined on the first page): a whole number from `min`. */
export function cursorPosition(cursor: string | undefined, min: number): number | undefined {
  if (cursor === undefined) return undefined;
  const n = Number(cursor);
  if (Number.isSafeInteger(n) && n >= min) return n;
  throw invalidCursor();
}

/** Like toPage, for a list paged by position: the next cursor is the last position on the page. */
export function toPositionPage<R, T>(
  rows: R[],
  limit: number,
  position: (row: R) => number,
  map: (row: R) => T,
): { data: T[]; next_cursor: string | null } {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return { data: pageRows.map(map), next_cursor: rows.length > limit && last ? String(position(last)) : null };
}
