// The Traces pages end to end against the real platform under `wrangler dev`: one chat request
// answers with X-Trace-Id, its kept trace opens at /traces/:id as a waterfall (nested rows, start
// and duration as text, bars on the trace's axis) with the chosen span's attributes, and the list
// finds it by route with the filters kept in the address. An unknown trace id and an empty filter
// say so in words. (The trace itself is written by the tracer, worker/core/trace.)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { createFromPage } from "./helpers/page-fetch";
import { type SignedInDashboard, startSignedInDashboard } from "./helpers/signed-in-dashboard";

const CHAT_ROUTE = "/api/agents/:id/chat";

describe("dashboard traces", { timeout: 300_000 }, () => {
  let dashboard: SignedInDashboard;

  before(async () => {
    dashboard = await startSignedInDashboard();
  });
  after(() => dashboard?.close());

  /** Sends one chat message from the page, reads the whole answer, and returns its X-Trace-Id. */
  async function chatTraceId(page: Page, agentId: string): Promise<string> {
    const traceId = await page.evaluate(async (path) => {
      const r = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ message: "What is a waterfall chart?" }),
      });
      await r.text();
      return r.headers.get("X-Trace-Id");
    }, `/api/agents/${agentId}/chat`);
    assert.match(traceId ?? "", /^[0-9a-f]{32}$/, "the chat answer carries X-Trace-Id");
    return traceId as string;
  }

  /** Waits until the trace was flushed (spans are written after the answer, with waitUntil). */
  async function waitForTrace(page: Page, traceId: string): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const status = await page.evaluate(async (path) => (await fetch(path)).status, `/api/traces/${traceId}`);
      if (status === 200) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.fail(`trace ${traceId} was not kept within 30 s`);
  }

  test("a chat request's trace opens as a waterfall with the chosen span's attributes", async () => {
    const page = await dashboard.open("/traces");
    await page.getByRole("heading", { level: 1, name: "Traces" }).waitFor();
    const agentId = await createFromPage(page, "/api/agents", { name: "Tracer" });
    const traceId = await chatTraceId(page, agentId);
    await waitForTrace(page, traceId);

    await page.goto(`${dashboard.platform.url}/traces/${traceId}`);
    await page.getByRole("heading", { level: 2, name: "Waterfall" }).waitFor();
    const rows = page.getByTestId("span-row");
    assert.ok((await rows.count()) >= 2, "the request and what it did below it");
    assert.equal(await rows.first().getAttribute("data-depth"), "0");
    const depths = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-depth"))));
    assert.ok(
      depths.some((d) => d > 0),
      "child spans are nested under the request",
    );
    // Start and duration in words, a bar positioned on the trace's axis.
    const first = (await rows.first().textContent()) ?? "";
    assert.match(first, /\d+\.\d ms|\d+\.\d\d s/);
    const bar = rows.first().locator(".span-bar");
    assert.match((await bar.getAttribute("style")) ?? "", /left: [\d.]+%; width: [\d.]+%/);
    // The root is chosen at first; choosing another span shows its attributes instead.
    const panel = page.getByTestId("span-panel");
    await panel.getByRole("heading", { name: /Span/ }).waitFor();
    const second = rows.nth(1).getByRole("button");
    const name = (await second.textContent()) ?? "";
    await second.click();
    assert.equal(await second.getAttribute("aria-pressed"), "true");
    await panel
      .getByRole("heading", { name: new RegExp(`Span ${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) })
      .waitFor();
    await panel.getByRole("heading", { name: "Attributes" }).waitFor();

    // The list finds it by route; the filter lives in the address and survives a reload.
    await page.getByRole("link", { name: "All traces" }).click();
    await page.getByRole("heading", { level: 1, name: "Traces" }).waitFor();
    await page.getByLabel("Route").fill(CHAT_ROUTE);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((u) => u.searchParams.get("route") === CHAT_ROUTE);
    await page.reload();
    const row = page.getByTestId("trace-row").filter({ hasText: traceId });
    await row.waitFor();
    await row.getByRole("link").click();
    await page.waitForURL(`**/traces/${traceId}`);
    assert.deepEqual(dashboard.pageErrors, []);
    await page.close();
  });

  test("filters that match nothing, and an unknown trace, say so", async () => {
    const page = await dashboard.open("/traces");
    await page.getByRole("heading", { level: 1, name: "Traces" }).waitFor();
    await page.getByLabel("Route").fill("/api/no-such-route");
    await page.getByLabel("Status").selectOption("5xx");
    await page.getByRole("checkbox", { name: "Errors only" }).check();
    const asked = page.waitForRequest((r) => r.url().includes("/api/traces?") && r.url().includes("errors=true"));
    await page.getByRole("button", { name: "Apply filters" }).click();
    const url = new URL((await asked).url());
    assert.equal(url.searchParams.get("route"), "/api/no-such-route");
    assert.equal(url.searchParams.get("status"), "5xx");
    await page.getByText("No traces match.").waitFor();
    assert.equal(new URL(page.url()).search, "?errors=1&route=%2Fapi%2Fno-such-route&status=5xx");
    await page.reload();
    await page.getByText("No traces match.").waitFor();
    assert.equal(await page.getByLabel("Status").inputValue(), "5xx");

    await page.goto(`${dashboard.platform.url}/traces/ffffffffffffffffffffffffffffffff`);
    await page.getByText("Could not load the trace").waitFor();
    await page.getByText("Trace not found").waitFor();
    assert.deepEqual(dashboard.pageErrors, []);
    await page.close();
  });
});
