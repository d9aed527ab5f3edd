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

/** An API resource that pages through its items and reads one by id (client.agents, client.knowledge, ...). */
interface Listed<T> {
  list(params: { limit: number; cursor: string | null }): Promise<Page<T>>;
  get(id: string): Promise<T>;
}

/** Every item of a resource's list, 100 a page. */
export const everyItem = <T>(resource: Pick<Listed<T>, "list">): Promise<T[]> =>
  allPages((cursor) => resource.list({ limit: 100, cursor }));

/**
 * `ref` as an id (it starts with the kind's prefix, e.g. "agt_") or as a name: an exact match
 * first, else a case-insensitive one; two matches are a usage error listing the ids. `items`
 * lists the candidates (by default every item of `resource`).
 */
export async function byIdOrName<T extends { id: string; name: string }>(
  kind: string,
  idPrefix: string,
  resource: Listed<T>,
  ref: string,
  items: () => Promise<T[]> = () => everyItem(resource),
): Promise<T> {
  if (ref.startsWith(idPrefix)) return resource.get(ref);
  const all = await items();
  const exact = all.filter((i) => i.name === ref);
  const matches = exact.length ? exact : all.filter((i) => i.name.toLowerCase() === ref.toLowerCase());
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) throw new CliError(`no ${kind} named '${ref}'`, EXIT.FAILED, "NOT_FOUND");
  throw new CliError(
    `${matches.length} ${kind}s are named '${ref}'; use an id: ${matches.map((m) => m.id).join(", ")}`,
    EXIT.USAGE,
  );
}
