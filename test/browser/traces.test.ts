// The Traces pages end to end against the real platform under `wrangler dev`: one chat request
// answers with X-Trace-Id, its kept trace opens at /traces/:id as a waterfall (nested rows, start
// and duration as text, bars on the trace's axis) with the chosen span's attributes, the list finds
// it by route with the filters kept in the address, and a chat answer links to its trace. An
// unknown trace id and an empty filter say so in words. (The trace itself is written by the
// tracer, worker/core/trace.) How the waterfall draws a failed, nested model call is checked on
// the API's own answer shape too.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { SAMPLE_TRACE, SAMPLE_TRACE_ID } from "../fixtures/trace-detail";
import { applyFiltersMatchingNothing } from "./helpers/filters";
import { createFromPage } from "./helpers/page-fetch";
import { signedInDashboardSuite } from "./helpers/signed-in-dashboard";

const CHAT_ROUTE = "/api/agents/:id/chat";

describe("dashboard traces", { timeout: 300_000 }, () => {
  // The default sampling: an offline answer is degraded, so its whole trace is kept.
  const dashboard = signedInDashboardSuite();

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

  /**
   * Waits until the trace was flushed (spans are written after the answer, with waitUntil) with a
   * span matching each of `parts`; returns its span names.
   */
  async function waitForTrace(page: Page, traceId: string, parts: RegExp[] = []): Promise<string[]> {
    let names: string[] = [];
    for (let i = 0; i < 60; i++) {
      names = await page.evaluate(async (path) => {
        const r = await fetch(path);
        return r.ok ? ((await r.json()) as { spans: { name: string }[] }).spans.map((s) => s.name) : [];
      }, `/api/traces/${traceId}`);
      if (names.length && parts.every((p) => names.some((n) => p.test(n)))) return names;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.fail(`trace ${traceId} was not kept with ${parts.join(", ")} within 30 s (spans: ${names.join(", ")})`);
  }

  test("a chat request's trace opens as a waterfall with the chosen span's attributes", async () => {
    const page = await dashboard.open("/traces");
    await page.getByRole("heading", { level: 1, name: "Traces" }).waitFor();
    const agentId = await createFromPage(page, "/api/agents", { name: "Tracer" });
    const traceId = await chatTraceId(page, agentId);
    // With the default sampling: the HTTP request, the Agent object's turn, the model call and the
    // turn's D1 writes, under the one trace id the answer carried.
    const parts = [/^POST \/api\/agents\/:id\/chat$/, /^ConversationAgent\/chat$/, /^chat offline$/, /^D1 BATCH/];
    await waitForTrace(page, traceId, parts);

    await page.goto(`${dashboard.platform.url}/traces/${traceId}`);
    await page.getByRole("heading", { level: 2, name: "Waterfall" }).waitFor();
    const rows = page.getByTestId("span-row");
    await rows.first().waitFor();
    const shown = (await rows.locator(".span-name").allTextContents()).map((t) => t.trim());
    for (const part of parts)
      assert.ok(
        shown.some((n) => part.test(n)),
        `the waterfall shows ${part}: ${shown}`,
      );
    // The model call's row carries its tokens.
    await rows
      .locator(".span-name", { hasText: /^chat offline$/ })
      .first()
      .click();
    await page.getByTestId("span-panel").getByText("gen_ai.usage.output_tokens").waitFor();
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

    // A chat answer in the dashboard links to its own trace.
    await page.goto(`${dashboard.platform.url}/agent/${agentId}/chat`);
    await page.getByRole("heading", { level: 1, name: "Chat with Tracer" }).waitFor();
    await page.getByLabel("Message").fill("And how is one read?");
    await page.getByRole("button", { name: "Send" }).click();
    const link = page.getByTestId("trace-link").last();
    await link.waitFor();
    const href = (await link.getAttribute("href")) ?? "";
    assert.match(href, /^\/traces\/[0-9a-f]{32}$/);
    await waitForTrace(page, href.slice("/traces/".length));
    await link.click();
    await page.waitForURL(`**${href}`);
    await page.getByRole("heading", { level: 2, name: "Waterfall" }).waitFor();
    assert.deepEqual(dashboard.pageErrors, []);
    await page.close();
  });

  test("the waterfall nests spans, writes times out, and marks a failed span with an icon and the word error", async () => {
    const traceId = SAMPLE_TRACE_ID;
    const page = await dashboard.open("/traces");
    await page.getByRole("heading", { level: 1, name: "Traces" }).waitFor();
    await page.route(`**/api/traces/${traceId}`, (route) =>
      route.fulfill({
        status: 200,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(SAMPLE_TRACE),
      }),
    );
    await page.goto(`${dashboard.platform.url}/traces/${traceId}`);
    const rows = page.getByTestId("span-row");
    await rows.first().waitFor();
    const depths = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-depth")));
    assert.deepEqual(depths, ["0", "1", "2", "1"]);
    const texts = (await rows.allTextContents()).map((t) => t.replace(/\s+/g, " "));
    assert.match(texts[2] ?? "", /chat llama3\.1.*60\.0 ms.*80\.0 ms/);
    assert.match(texts[3] ?? "", /d1 messages\.insert.*⚠ error.*190\.0 ms.*10\.0 ms/);
    assert.equal(await rows.nth(0).getByTestId("span-error").count(), 0);
    const style = (i: number) => rows.nth(i).locator(".span-bar").getAttribute("style");
    assert.equal(await style(0), "left: 0%; width: 100%;");
    assert.equal(await style(1), "left: 25%; width: 50%;");
    assert.equal(await style(2), "left: 30%; width: 40%;");
    assert.equal(await style(3), "left: 95%; width: 5%;");

    await rows.nth(2).getByRole("button", { name: "chat llama3.1" }).click();
    const panel = page.getByTestId("span-panel");
    await panel.getByRole("heading", { name: "Span chat llama3.1" }).waitFor();
    await panel.getByRole("row", { name: /gen_ai\.usage\.input_tokens\s*42/ }).waitFor();
    await panel.getByText("first_token").waitFor();
    await rows.nth(3).getByRole("button").click();
    await panel.getByText("D1_ERROR: database is locked").waitFor();
    assert.deepEqual(dashboard.pageErrors, []);
    await page.close();
  });

  test("filters that match nothing, and an unknown trace, say so", async () => {
    const page = await dashboard.open("/traces");
    await page.getByRole("heading", { level: 1, name: "Traces" }).waitFor();
    await page.getByLabel("Route").fill("/api/no-such-route");
    await page.getByLabel("Status").selectOption("5xx");
    await page.getByRole("checkbox", { name: "Errors only" }).check();
    await applyFiltersMatchingNothing(page, page, {
      request: ["/api/traces?", "errors=true"],
      sent: { route: "/api/no-such-route", status: "5xx" },
      empty: "No traces match.",
      search: "?errors=1&route=%2Fapi%2Fno-such-route&status=5xx",
    });
    assert.equal(await page.getByLabel("Status").inputValue(), "5xx");

    await page.goto(`${dashboard.platform.url}/traces/ffffffffffffffffffffffffffffffff`);
    await page.getByText("Could not load the trace").waitFor();
    await page.getByText("Trace not found").waitFor();
    await page
      .getByTestId("trace-not-kept")
      .getByText(/Traces are sampled/)
      .waitFor();
    assert.deepEqual(dashboard.pageErrors, []);
    await page.close();
  });
});
