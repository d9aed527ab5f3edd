// The Monitoring page end to end against the real platform under `wrangler dev`: a couple of
// chats through the offline model, then the page shows the requests, the agent's row, charts
// whose lines are named in words (not by colour alone) with a table alternative, and another
// window in the URL. Token and cost figures come from the usage rows written per model call:
// with usage accounting present (GET /api/usage answers) the model table lists the offline
// model; without it the page says no model calls are recorded.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { createFromPage } from "./helpers/page-fetch";
import { signedInDashboardSuite } from "./helpers/signed-in-dashboard";

/** One chat turn from the page's session; resolves with the status once the stream ends. */
const chatFromPage = (page: Page, agentId: string, message: string) =>
  page.evaluate(
    async ({ agentId, message }) => {
      const r = await fetch(`/api/agents/${agentId}/chat`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ message }),
      });
      await r.text();
      return r.status;
    },
    { agentId, message },
  );

describe("dashboard monitoring", { timeout: 300_000 }, () => {
  const dashboard = signedInDashboardSuite();

  test("shows the chats' requests, the agent's row and worded charts, per window", async () => {
    const setup = await dashboard.open("/agents");
    await setup.getByRole("heading", { level: 1, name: "Agents" }).waitFor();
    const agentId = await createFromPage(setup, "/api/agents", { name: "Monitored helper" });
    for (const message of ["Hello there", "One more question"])
      assert.equal(await chatFromPage(setup, agentId, message), 200);
    const usageStatus = await setup.evaluate(async () => (await fetch("/api/usage")).status);

    const page = await dashboard.open("/monitoring");
    await page.getByRole("heading", { level: 1, name: "Monitoring" }).waitFor();
    const row = page.locator(`tr[data-agent-id="${agentId}"]`);
    await row.waitFor();
    assert.equal(await row.getByRole("link").textContent(), "Monitored helper");
    const requests = Number((await row.locator("td").nth(1).textContent())?.replace(/,/g, ""));
    assert.ok(requests >= 2, `the two chats name the agent, got ${requests}`);

    const traffic = page.getByRole("list", { name: "Requests and error rate: lines" });
    const total = await page.getByTestId("traffic-0").textContent();
    assert.match(total ?? "", /^[1-9][\d,]* in the window$/);
    assert.match((await traffic.textContent()) ?? "", /Requests \(solid line\).*Error rate \(5xx\) \(dashed line\)/);
    const latency = (await page.getByTestId("latency-1").textContent()) ?? "";
    assert.match(latency, /^\d+(\.\d)? ms$/, "p95 of the window");
    assert.equal(await page.locator(".monitor-plot canvas").count(), 4, "four uPlot charts");
    // The table alternative of the traffic chart has a row per minute of the hour.
    await page.getByText("Show as a table").first().click();
    assert.equal(await page.locator(".monitor-chart").first().locator("tbody tr").count(), 60);

    const models = page.getByRole("region", { name: "Per model" });
    if (usageStatus === 200) await models.getByRole("cell", { name: "offline" }).first().waitFor();
    else await models.getByText("No model calls recorded in this window.").waitFor();

    await page.getByLabel("Window").selectOption("24h");
    await page.getByText(/Last day: .* Buckets of 15 min\./).waitFor();
    assert.equal(new URL(page.url()).searchParams.get("window"), "24h");
    await row.waitFor();
    assert.deepEqual(dashboard.pageErrors, []);
  });
});
