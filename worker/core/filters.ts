// The query-string filters of the list routes (audit log, safety events) as SQL conditions, so
// "a given value must match its column" and "between since and until" are written once.
import { eq, gte, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** One condition per filter that was given: its column equals its value. */
export const matching = (filters: [column: SQLiteColumn, value: string | undefined][]): (SQL | undefined)[] =>
  filters.map(([column, value]) => (value ? eq(column, value) : undefined));

/** `since` inclusive, `until` exclusive, both ISO 8601 (validated by the route's query schema). */
export const within = (column: SQLiteColumn, since?: string, until?: string): (SQL | undefined)[] => [
  since ? gte(column, Date.parse(since)) : undefined,
  until ? lt(column, Date.parse(until)) : undefined,
];
