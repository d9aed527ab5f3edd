// Swarm runs in the dashboard, end to end against the real platform under `wrangler dev`: a
// pipeline of two offline agents started from the form and watched live to its end over the
// run's event WebSocket, and a slow run (the scripted development model) cancelled from its page.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { createFromPage } from "./helpers/page-fetch";
import { signedInDashboardSuite } from "./helpers/signed-in-dashboard";

describe("dashboard swarm runs", { timeout: 300_000 }, () => {
  const dashboard = signedInDashboardSuite();

  const createAgent = (page: Page, body: Record<string, unknown>) => createFromPage(page, "/api/agents", body);

  test("a pipeline of two offline agents started in the form runs live to success", async () => {
    const page = await dashboard.open("/swarm");
    await page.getByRole("heading", { level: 1, name: "Swarm" }).waitFor();
    await createAgent(page, { name: "Drafter", model: { provider: "offline", id: "offline" } });
    await createAgent(page, { name: "Editor", model: { provider: "offline", id: "offline" } });

    await page.getByRole("link", { name: "New run" }).click();
    await page.getByRole("heading", { level: 1, name: "Start a swarm run" }).waitFor();
    await page.getByLabel("What should the agents do?").fill("Write two sentences about bees.");
    await page.getByRole("checkbox", { name: /Drafter/ }).check();
    await page.getByRole("checkbox", { name: /Editor/ }).check();
    assert.equal(await page.getByLabel("How they work together").inputValue(), "pipeline");
    await page.getByLabel("Token budget").fill("50000");
    await page.getByRole("button", { name: "Start run" }).click();

    await page.waitForURL(/\/swarm\/run_[A-Za-z0-9]+$/);
    const outcome = page.getByTestId("swarm-outcome");
    await page.locator('[data-testid="swarm-outcome"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
    assert.match((await outcome.textContent()) ?? "", /succeeded/);
    const output = (await page.getByTestId("swarm-output").textContent()) ?? "";
    assert.ok(output.trim().length > 0, "the final output is shown");

    const steps = page.getByTestId("swarm-step");
    assert.equal(await steps.count(), 2);
    assert.match((await steps.nth(0).textContent()) ?? "", /#1\s*Drafter/);
    assert.match((await steps.nth(1).textContent()) ?? "", /#\d+\s*Editor/);
    assert.equal(await page.locator('[data-testid="swarm-step"][data-status="succeeded"]').count(), 2);
    // Every step's output is on the page; the pipeline's output is the last step's.
    assert.equal(
      (
        await page
          .getByLabel(/^Output of step/)
          .last()
          .textContent()
      )?.trim(),
      output.trim(),
    );
    // The protocol messages arrived over the socket: the task first, the final result last.
    const events = page.locator(".swarm-events li");
    // The run's result may reach the socket a moment after the last step shows as succeeded.
    await events.filter({ hasText: /^result\s+Run succeeded/ }).waitFor({ timeout: 10_000 });
    assert.match((await events.first().textContent()) ?? "", /^task\s/);
    assert.match((await events.last().textContent()) ?? "", /^result\s+Run succeeded/);
    assert.match(
      (await page.getByRole("region", { name: "Budget" }).textContent()) ?? "",
      /Steps: 2 \/ 50 turns.*\/ 50,000 tokens/,
    );
    assert.equal(await page.getByRole("button", { name: "Cancel run" }).count(), 0, "an ended run cannot be cancelled");

    await page.getByRole("link", { name: "All runs" }).click();
    const row = page.getByTestId("swarm-run-row").filter({ hasText: "Write two sentences about bees." });
    await row.waitFor();
    assert.match((await row.textContent()) ?? "", /pipeline.*Drafter, Editor.*succeeded/);
    await page.close();
  });

  test("a slow run is cancelled from its page", async () => {
    const page = await dashboard.open("/swarm");
    await page.getByRole("heading", { level: 1, name: "Swarm" }).waitFor();
    const slow = await createAgent(page, { name: "Slowpoke", model: { provider: "scripted", id: "400:100" } });
    const runId = await createFromPage(page, "/api/swarm/runs", {
      strategy: "pipeline",
      task: "Take your time.",
      agent_ids: [slow],
    });
    await page.goto(`${dashboard.platform.url}/swarm/${runId}`);
    await page.locator('[data-testid="swarm-step"][data-status="running"]').waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page
      .getByRole("group", { name: /Cancel this run/ })
      .getByRole("button", { name: "Cancel run" })
      .click();
    await page.locator('[data-testid="swarm-outcome"][data-status="cancelled"]').waitFor({ timeout: 30_000 });
    assert.deepEqual(dashboard.pageErrors, []);
    await page.close();
  });
});
