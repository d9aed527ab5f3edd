// JSON requests sent from inside a dashboard page, so they carry its session cookie like the
// app's own calls: sign-in, and setup through the API for tests about other things than the
// form that would create it.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

/** Sends `body` (if any) as JSON to `path` from the page; the answer's status and parsed JSON (null when empty). */
export async function fetchFromPage<T>(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const r = await fetch(path, {
        method,
        headers: { "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, body },
  );
}

/** POSTs `body` as JSON to `path` from the page, as fetchFromPage. */
export const postFromPage = <T>(page: Page, path: string, body: unknown): Promise<{ status: number; body: T }> =>
  fetchFromPage<T>(page, "POST", path, body);

/** Creates a resource through the API from the page and returns its id (the answer must be `status`). */
export async function createFromPage(page: Page, path: string, body: unknown, status = 201): Promise<string> {
  const res = await postFromPage<{ id: string }>(page, path, body);
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body.id;
}
