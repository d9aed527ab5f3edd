// The dashboard's sidebar ("Main" navigation), followed the way a person does: by its links.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

/** Clicks each of `links` in the sidebar in turn: its page's heading shows, the address is its path and the link is marked current. */
export async function followNavLinks(
  page: Page,
  links: readonly (readonly [label: string, path: string])[],
): Promise<void> {
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const [label, path] of links) {
    await nav.getByRole("link", { name: label }).click();
    await page.getByRole("heading", { level: 1, name: label }).waitFor();
    assert.equal(new URL(page.url()).pathname, path);
    assert.equal(await nav.getByRole("link", { name: label }).getAttribute("aria-current"), "page", label);
  }
}
