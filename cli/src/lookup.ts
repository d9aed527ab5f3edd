// Commands name things the way people do: by id, or by name when that is unambiguous.
import { CliError, EXIT } from "./command";

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Every item of a paginated list, following next_cursor to the end. */
export async function allPages<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetchPage(cursor);
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/**
 * `ref` as an id (it starts with the kind's prefix, e.g. "agt_") or as a name: an exact match
 * first, else a case-insensitive one; two matches are a usage error listing the ids.
 */
export async function byIdOrName<T extends { id: string; name: string }>(
  kind: string,
  ref: string,
  idPrefix: string,
  get: (id: string) => Promise<T>,
  list: () => Promise<T[]>,
): Promise<T> {
  if (ref.startsWith(idPrefix)) return get(ref);
  const items = await list();
  const exact = items.filter((i) => i.name === ref);
  const matches = exact.length ? exact : items.filter((i) => i.name.toLowerCase() === ref.toLowerCase());
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) throw new CliError(`no ${kind} named '${ref}'`, EXIT.FAILED, "NOT_FOUND");
  throw new CliError(
    `${matches.length} ${kind}s are named '${ref}'; use an id: ${matches.map((m) => m.id).join(", ")}`,
    EXIT.USAGE,
  );
}
