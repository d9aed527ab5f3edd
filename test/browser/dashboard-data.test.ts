// The dashboard's data layer, end to end against the real platform under `wrangler dev`: list
// filters and cursor pages live in the address (a reload, back and a shared link keep them), a
// list shows what a form just created without a page reload, and a 4xx is not asked again.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { signedInDashboardSuite } from "./helpers/signed-in-dashboard";

describe("dashboard data: filters in the address, lists refreshed after writes", { timeout: 300_000 }, () => {
  const dashboard = signedInDashboardSuite();

  /** Calls the API from the page, with its session cookie (for setting up state quickly). */
  async function post(page: Page, path: string, body: unknown): Promise<number> {
    return page.evaluate(
      async ([p, b]) => {
        const headers = { "Content-Type": "application/json" };
        const res = await fetch(p, { method: "POST", headers, body: JSON.stringify(b) });
        return res.status;
      },
      [path, body] as const,
    );
  }

  /** Marks the document: the mark is gone if the page is ever loaded again. */
  const mark = (page: Page) => page.locator("body").evaluate((body) => body.setAttribute("data-same-document", "yes"));
  const stillSameDocument = async (page: Page) => (await page.locator('body[data-same-document="yes"]').count()) === 1;

  test("an audit filter and the page number survive a reload, and back returns to the first page", async () => {
    const page = await dashboard.open("/audit");
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    // More key creations than the log's page of 25 holds.
    for (let i = 0; i < 26; i++) {
      assert.equal(await post(page, "/api/keys", { name: `paged ${i}`, scopes: ["agents:read"] }), 201);
    }
    await page.getByLabel("Action").fill("key.create");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((url) => url.searchParams.get("action") === "key.create");
    const rows = page.getByTestId("audit-row");
    const pager = page.getByRole("navigation", { name: "Audit log pages" });
    await pager.waitFor();
    assert.equal(await rows.count(), 25);
    const firstOfPage1 = await rows.first().textContent();

    await pager.getByRole("button", { name: "Next" }).click();
    await page.waitForURL((url) => url.searchParams.has("cursor"));
    await pager.getByText("Page 2").waitFor();
    const page2Url = page.url();

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    assert.equal(page.url(), page2Url);
    assert.equal(await page.getByLabel("Action").inputValue(), "key.create", "the form shows the applied filter");
    await pager.getByText("Page 2").waitFor();
    await rows.first().waitFor();
    assert.deepEqual([...new Set(await rows.locator("th code").allTextContents())], ["key.create"]);
    assert.ok((await rows.count()) < 25, "still the last page");

    // Shared: the same address in a fresh tab opens the same page of the same filter.
    const shared = await dashboard.open(new URL(page2Url).pathname + new URL(page2Url).search);
    await shared.getByRole("navigation", { name: "Audit log pages" }).getByText("Page 2").waitFor();
    assert.equal(await shared.getByLabel("Action").inputValue(), "key.create");
    await shared.close();

    await page.goBack();
    await pager.getByText("Page 1").waitFor();
    await page.waitForURL((url) => !url.searchParams.has("cursor") && url.searchParams.get("action") === "key.create");
    assert.equal(await rows.first().textContent(), firstOfPage1);
    await page.close();
  });

  test("the swarm runs' status filter is kept in the address across a reload", async () => {
    const page = await dashboard.open("/swarm");
    await page.getByRole("heading", { level: 1, name: "Swarm" }).waitFor();
    await page.getByLabel("Status").selectOption("cancelled");
    await page.waitForURL((url) => url.searchParams.get("status") === "cancelled");
    await page.getByText("No runs with status cancelled.").waitFor();
    await page.reload();
    await page.getByText("No runs with status cancelled.").waitFor();
    assert.equal(await page.getByLabel("Status").inputValue(), "cancelled");
    await page.close();
  });

  test("a user created in the form joins the list at once, without a page reload", async () => {
    const page = await dashboard.open("/users");
    await page.getByRole("heading", { level: 1, name: "Users" }).waitFor();
    await page.getByTestId("user-row").first().waitFor();
    await mark(page);
    const rows = page.getByTestId("user-row").filter({ hasText: "carol@example.com" });
    assert.equal(await rows.count(), 0);

    const form = page.getByRole("region", { name: "New user" });
    await form.getByLabel("Email").fill("carol@example.com");
    await form.getByLabel("Initial password").fill("carols long passphrase");
    await form.getByRole("button", { name: "Create user" }).click();
    await form.getByRole("status").filter({ hasText: "Created carol@example.com." }).waitFor();
    // The form says "done" only once the list has refetched: the row is there already.
    assert.equal(await rows.count(), 1);
    assert.ok(await stillSameDocument(page), "no page reload");
    assert.equal(await form.getByLabel("Email").inputValue(), "", "the form is ready for the next one");
    await page.close();
  });

  test("a refused read (4xx) is shown once with its code, not retried", async () => {
    const page = await dashboard.open("/audit");
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    const asked: string[] = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (url.pathname === "/api/audit" && url.searchParams.get("action") === "not an action!") asked.push(r.url());
    });
    await page.getByLabel("Action").fill("not an action!");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByRole("alert").filter({ hasText: "VALIDATION_ERROR" }).waitFor();
    // Long enough for the first retry of a 5xx (about a second) to have been sent.
    await page.waitForTimeout(2_000);
    assert.equal(asked.length, 1);
    await page.close();
  });

  test("no page threw an uncaught error", () => {
    assert.deepEqual(dashboard.pageErrors, []);
  });
});
