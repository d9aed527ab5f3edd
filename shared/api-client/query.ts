// Query strings for list and filter endpoints. Every list answers one page,
// `{ data, next_cursor }`, and is asked for with `?limit=&cursor=` (docs/architecture.md).
export interface PageParams {
  limit?: number;
  cursor?: string | null;
}

export type QueryValue = string | number | boolean | null | undefined;

/** `path` plus the parameters that have a value; empty strings count as "not given". */
export function withQuery(path: string, params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(name, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Path segment from an id; ids come from the API, but never trust them to be URL-safe. */
export const segment = (id: string) => encodeURIComponent(id);
