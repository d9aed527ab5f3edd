// Evaluation runs in the dashboard, against the real platform under `wrangler dev` (sign-in,
// agents, their versions) with /api/evals answered by the stand-in the CLI tests use, which speaks
// exactly shared/api-types/evals.ts (the runs engine is built alongside): a run started from the
// form and followed to its summary and per-case results with their links, two runs compared with
// the regression first and readable without colour, and a run cancelled from its page.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { type FakeEvalsApi, startFakeEvalsApi } from "../cli/helpers/fake-evals-api";
import { createFromPage, postFromPage } from "./helpers/page-fetch";
import { signedInDashboardSuite } from "./helpers/signed-in-dashboard";

describe("dashboard evaluation runs", { timeout: 300_000 }, () => {
  let evals: FakeEvalsApi;
  let agentId = "";

  const dashboard = signedInDashboardSuite();
  before(async () => {
    evals = await startFakeEvalsApi();
    // Every /api/evals request of the pages goes to the stand-in, as sent.
    await dashboard.context.route(/\/api\/evals\//, async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      const body = request.postData();
      const res = await fetch(`${evals.url}${url.pathname}${url.search}`, {
        method: request.method(),
        headers: { "Content-Type": "application/json" },
        ...(body ? { body } : {}),
      });
      await route.fulfill({ status: res.status, contentType: "application/json", body: await res.text() });
    });
  });
  after(() => evals?.close());
  beforeEach(() => {
    // The pages poll; the stand-in moves a run on by one case per read of it.
    evals.sse = false;
    evals.hold = false;
    evals.started.length = 0;
  });

  const openRuns = async (): Promise<Page> => {
    const page = await dashboard.open("/evals/runs");
    await page.getByRole("heading", { level: 1, name: "Evaluation runs" }).waitFor();
    if (!agentId) agentId = await createFromPage(page, "/api/agents", { name: "Aerobot" });
    return page;
  };

  test("a run started from the form is followed to its summary and per-case results with links", async () => {
    const page = await openRuns();
    await page.getByRole("link", { name: "New run" }).click();
    await page.getByRole("heading", { level: 1, name: "Start an evaluation run" }).waitFor();
    await page.getByLabel("Dataset").selectOption({ label: "cranfield (v3, 3 cases)" });
    await page.getByLabel("Agent", { exact: true }).selectOption({ label: "Aerobot (current v1)" });
    await page.getByLabel("Version").selectOption("1");
    await page.getByRole("checkbox", { name: "recall_at_k" }).check();
    await page.getByLabel("Threshold for recall_at_k").fill("0.7");
    await page.getByLabel("k for recall@k").fill("5");
    await page.getByLabel("Cases at once").fill("3");
    await page.getByRole("button", { name: "Start run" }).click();

    await page.waitForURL(/\/evals\/runs\/evr_\d+$/);
    assert.deepEqual(evals.started, [
      {
        dataset_id: "evd_cran",
        target: { kind: "agent", agent_id: agentId, agent_version: 1 },
        scorers: [{ name: "recall_at_k", threshold: 0.7, options: { k: 5 } }],
        concurrency: 3,
      },
    ]);
    await page.getByTestId("eval-progress").filter({ hasText: "3 of 3 cases done" }).waitFor({ timeout: 30_000 });
    const scorer = page.getByTestId("eval-scorer-row");
    await scorer.waitFor();
    assert.match((await scorer.textContent()) ?? "", /recall_at_k\s*0\.800\s*66\.7%\s*3/);
    assert.match((await page.getByTestId("eval-tag-row").first().textContent()) ?? "", /cranfield/);

    const rows = page.getByTestId("eval-result-row");
    await rows.nth(2).waitFor();
    assert.match((await rows.nth(0).textContent()) ?? "", /q001.*recall_at_k 1\.00 PASS/);
    assert.match((await rows.nth(2).textContent()) ?? "", /q003.*recall_at_k 0\.60 FAIL/);
    assert.equal(
      await rows.nth(0).getByRole("link", { name: "Conversation" }).getAttribute("href"),
      `/agent/${agentId}/chat/conv_0`,
    );
    assert.equal(await rows.nth(0).getByRole("link", { name: "Trace" }).getAttribute("href"), "/traces/trace_0");

    await page.getByLabel("Failed only").check();
    await page.waitForURL(/\?failed=1$/);
    await rows.filter({ hasText: "q001" }).waitFor({ state: "detached" });
    assert.equal(await rows.count(), 1);
    assert.match((await rows.nth(0).textContent()) ?? "", /q003/);
    assert.equal(await page.getByRole("button", { name: "Cancel run" }).count(), 0, "an ended run cannot be cancelled");
    assert.deepEqual(dashboard.pageErrors, []);
    await page.close();
  });

  test("a swarm target is picked from the form: strategy, agents in order, and the aggregator", async () => {
    const page = await openRuns();
    const helperId = await createFromPage(page, "/api/agents", { name: "Mergebot" });
    await page.goto(page.url().replace(/\/evals\/runs$/, "/evals/runs/new"));
    await page.getByRole("heading", { level: 1, name: "Start an evaluation run" }).waitFor();
    await page.getByLabel("Dataset").selectOption({ label: "cranfield (v3, 3 cases)" });
    await page.getByLabel("Target").selectOption("swarm");
    await page.getByLabel("Strategy").selectOption("parallel");
    await page.getByRole("checkbox", { name: "Mergebot" }).check();
    await page.getByRole("checkbox", { name: "Aerobot" }).check();
    await page.getByLabel("Aggregator").selectOption({ label: "Mergebot" });
    await page.getByRole("button", { name: "Start run" }).click();

    await page.waitForURL(/\/evals\/runs\/evr_\d+$/);
    assert.deepEqual(evals.started, [
      {
        dataset_id: "evd_cran",
        target: {
          kind: "swarm",
          config: { strategy: "parallel", agent_ids: [helperId, agentId], aggregator_id: helperId },
        },
        concurrency: 2,
      },
    ]);
  });

  test("two runs picked in the list are compared: the regression first, signed deltas with their case counts", async () => {
    const page = await openRuns();
    const start = async (version: number, label: string) => {
      const res = await postFromPage<{ id: string }>(page, "/api/evals/runs", {
        dataset_id: "evd_cran",
        target: { kind: "agent", agent_id: agentId, agent_version: version },
        label,
      });
      assert.equal(res.status, 201);
      // Read until it ends (the stand-in moves on per read).
      for (let i = 0; i < 3; i++) await page.evaluate((id) => fetch(`/api/evals/runs/${id}`), res.body.id);
      return res.body.id;
    };
    const good = await start(1, "with knowledge");
    const bad = await start(2, "knowledge detached");
    await page.reload();
    await page.getByLabel("Dataset").selectOption({ label: "cranfield" });
    await page.waitForURL(/\?dataset=evd_cran$/);
    await page.getByRole("checkbox", { name: "Compare with knowledge" }).check();
    await page.getByRole("checkbox", { name: "Compare knowledge detached" }).check();
    await page.getByRole("link", { name: /Compare the two picked runs/ }).click();
    await page.waitForURL(new RegExp(`/evals/compare\\?baseline=${good}&candidate=${bad}$`));

    await page.getByTestId("compare-verdict").filter({ hasText: "1 scorer(s) regressed" }).waitFor();
    assert.match((await page.getByTestId("compare-verdict").textContent()) ?? "", /2 case\(s\) regressed, 0 improved/);
    const scorer = (await page.getByTestId("compare-scorer-row").first().textContent()) ?? "";
    assert.match(scorer, /Regressed\s*recall_at_k\s*0\.800\s*0\.267\s*−0\.533\s*3/);
    const cases = page.getByTestId("compare-case-row");
    assert.match((await cases.nth(0).textContent()) ?? "", /Regression\s*q001\s*recall_at_k 1\.00 → 0\.20 \(−0\.800\)/);
    assert.match((await cases.nth(2).textContent()) ?? "", /Unchanged\s*q003.*\(\+0\.000\)/);
    assert.deepEqual(dashboard.pageErrors, []);
    await page.close();
  });

  test("a running run is cancelled from its page", async () => {
    evals.hold = true;
    const page = await openRuns();
    const res = await postFromPage<{ id: string }>(page, "/api/evals/runs", {
      dataset_id: "evd_cran",
      target: { kind: "agent", agent_id: agentId },
    });
    await page.goto(`${dashboard.platform.url}/evals/runs/${res.body.id}`);
    await page.getByTestId("eval-progress").filter({ hasText: "1 of 3 cases done" }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page
      .getByRole("group", { name: /Cancel this run/ })
      .getByRole("button", { name: "Cancel run" })
      .click();
    await page.getByTestId("eval-progress").filter({ hasText: "cancelled by usr_test" }).waitFor({ timeout: 30_000 });
    assert.ok(evals.requests.includes(`POST /api/evals/runs/${res.body.id}/cancel`));
    assert.deepEqual(dashboard.pageErrors, []);
    await page.close();
  });
});
