// The Usage page end to end against the real platform under `wrangler dev`: a chat with the
// offline model (priced by a platform admin's override) shows up in the cost breakdown by agent
// and by model with a totals row, the grouping lives in the address, and an admin sets the
// monthly budget, whose bar and numbers follow.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { signedInDashboardSuite } from "./helpers/signed-in-dashboard";

describe("dashboard usage page", { timeout: 300_000 }, () => {
  const dashboard = signedInDashboardSuite();

  /** Calls the API with the page's session; answers the status and the body's text. */
  const call = (page: Page, method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const init: RequestInit = { method, headers: { "Content-Type": "application/json" } };
        if (body !== undefined) init.body = JSON.stringify(body);
        const r = await fetch(path, init);
        return { status: r.status, text: await r.text() };
      },
      { method, path, body },
    );

  test("a chat's cost shows by agent and by model, with totals; the budget is set and drawn", async () => {
    const page = await dashboard.open("/usage");
    await page.getByRole("heading", { level: 1, name: "Usage" }).waitFor();
    // $1,000 per million tokens, so the offline model's few tokens cost a visible amount.
    const price = await call(page, "PUT", "/api/admin/model-prices/offline/offline", {
      input_usd_per_mtok: 1000,
      output_usd_per_mtok: 1000,
    });
    assert.equal(price.status, 200, price.text);
    const created = await call(page, "POST", "/api/agents", { name: "Metered helper" });
    assert.equal(created.status, 201, created.text);
    const agent = JSON.parse(created.text) as { id: string };
    const answer = await call(page, "POST", `/api/agents/${agent.id}/chat`, { message: "What does usage cost?" });
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.text, /event: done/);

    await page.reload();
    const breakdown = page.getByRole("region", { name: "Cost breakdown" });
    const row = breakdown.getByRole("row", { name: /Metered helper/ });
    await row.waitFor();
    const cells = await row.getByRole("cell").allTextContents();
    assert.equal(cells[0], "1", `one call: ${cells.join(" | ")}`);
    assert.match(cells[3] ?? "", /^\$\d+\.\d+$/);
    assert.notEqual(cells[3], "$0.00");
    const totals = await breakdown.getByTestId("usage-totals").getByRole("cell").allTextContents();
    assert.equal(totals[3], cells[3]);

    await breakdown.getByLabel("Group by").selectOption("model");
    await breakdown.getByRole("row", { name: /offline:offline/ }).waitFor();
    assert.equal(new URL(page.url()).search, "?by=model");
    await breakdown.getByLabel("Window").selectOption("7d");
    await breakdown.getByRole("row", { name: /offline:offline/ }).waitFor();
    assert.equal(new URL(page.url()).search, "?by=model&window=7d");

    const budget = page.getByRole("region", { name: "Monthly budget" });
    await budget.getByText("No budget is set").waitFor();
    await budget.getByLabel("Limit (USD a month)").fill("500");
    await budget.getByLabel("Warn at (share of the limit)").fill("0.5");
    await budget.getByRole("button", { name: "Save budget" }).click();
    await budget.getByText("Budget saved.").waitFor();
    const status = budget.getByTestId("budget-status");
    await status.getByText(/of \$500\.00 spent this month/).waitFor();
    assert.match((await status.textContent()) ?? "", /Within budget; a warning is raised at 50%/);
    assert.equal(await status.locator("progress").getAttribute("max"), "1");
    assert.deepEqual(dashboard.pageErrors, []);
    await page.close();
  });
});
