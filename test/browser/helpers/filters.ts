// The filter forms of list pages (Safety events, Traces): "Apply filters" sends the list request
// with the filters as its query and puts them in the page's address, so a reload keeps them.
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";

interface NothingMatches {
  /** The list request's path and a query part only the filtered request has. */
  request: readonly [path: string, part: string];
  /** Other filters that request must carry, by query parameter. */
  sent: Readonly<Record<string, string>>;
  /** What the list says when nothing matches. */
  empty: string;
  /** The address's query once the filters are applied. */
  search: string;
}

/**
 * Applies the filters set in `form` when they match nothing: the list says `expected.empty`, the
 * list request carried `expected.sent`, the address holds `expected.search`, and after a reload
 * the list still says it.
 */
export async function applyFiltersMatchingNothing(
  page: Page,
  form: Page | Locator,
  expected: NothingMatches,
): Promise<void> {
  const [path, part] = expected.request;
  const asked = page.waitForRequest((r) => r.url().includes(path) && r.url().includes(part));
  await form.getByRole("button", { name: "Apply filters" }).click();
  const query = new URL((await asked).url()).searchParams;
  for (const [name, value] of Object.entries(expected.sent)) assert.equal(query.get(name), value, name);
  await form.getByText(expected.empty).waitFor();
  assert.equal(new URL(page.url()).search, expected.search);
  await page.reload();
  await form.getByText(expected.empty).waitFor();
}
