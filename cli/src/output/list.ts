// How commands answer with records: the JSON document under --json, otherwise a table (or a
// hint when there is nothing to show), and `key  value` facts about one record.
import { type CommandContext, EXIT } from "../command";
import type { Output } from "./output";
import { renderTable } from "./table";

interface ListTable<T> {
  /** Shown instead of an empty table, e.g. how to create the first one. */
  empty: string;
  headers: string[];
  row: (item: T) => string[];
}

/** Prints `items` (under --json: `json`, by default `{ data: items }`); exits 0. */
export function printList<T>(
  ctx: CommandContext,
  items: readonly T[],
  table: ListTable<T>,
  json: unknown = { data: items },
): number {
  if (ctx.out.json) ctx.out.data(json);
  else ctx.out.line(items.length === 0 ? table.empty : renderTable(table.headers, items.map(table.row)));
  return EXIT.OK;
}

/** Answers with one record: under --json the document `json`, otherwise what `describe` prints; exits 0. */
export function printRecord(ctx: CommandContext, json: unknown, describe: () => void): number {
  if (ctx.out.json) ctx.out.data(json);
  else describe();
  return EXIT.OK;
}

/** One `key  value` line per fact, the keys padded to one width. */
export function printFacts(out: Output, facts: readonly (readonly [string, string])[]): void {
  const width = Math.max(...facts.map(([k]) => k.length));
  for (const [k, v] of facts) out.line(`${k.padEnd(width)}  ${v}`);
}
