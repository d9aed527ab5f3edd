// The dashboard against the real platform under `wrangler dev`: layout, client-side routing,
// SPA fallback, and a Status page that reports what /health and /ready really answer. Status
// is public (provider detail only for a signed-in platform admin); the shell's other pages are
// tested signed in as the platform admin.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { signIn } from "./helpers/accounts";
import { followNavLinks } from "./helpers/nav";
import { platformSuite } from "./helpers/platform-suite";

describe("dashboard shell and Status page", { timeout: 240_000 }, () => {
  const suite = platformSuite();
  let admin: BrowserContext;
  const pageErrors: string[] = [];

  before(async () => {
    admin = await suite.browser.newContext();
    await signIn(admin, suite.platform.url);
  });

  async function open(path: string, as: "visitor" | "admin" = "visitor"): Promise<Page> {
    const page = await (as === "admin" ? admin.newPage() : suite.browser.newPage());
    page.on("pageerror", (err) => pageErrors.push(`${path}: ${err.message}`));
    const res = await page.goto(`${suite.platform.url}${path}`);
    assert.equal(res?.status(), 200, `GET ${path}`);
    return page;
  }

  test("the root opens on Status, which reports Healthy with d1, kv and durable_objects ok", async () => {
    const page = await open("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Status" }).click();
    await page.getByTestId("overall-status").filter({ hasText: "Healthy" }).waitFor({ timeout: 20_000 });

    assert.equal(new URL(page.url()).pathname, "/status");
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Status");
    assert.equal(await page.getByTestId("environment").textContent(), "development");
    for (const check of ["d1", "kv", "durable_objects"]) {
      const row = page.getByTestId(`check-${check}`);
      assert.equal(await row.getByTestId("check-status").textContent(), "ok", `${check} status`);
      assert.match((await row.textContent()) ?? "", /\d+ ms/, `${check} latency`);
    }
    assert.equal(await page.getByRole("alert").count(), 0, "no error panel when healthy");
    // Signed out: no provider or circuit-breaker detail, and a note saying who sees it.
    assert.equal(await page.getByRole("heading", { name: "Providers" }).count(), 0);
    assert.match(
      (await page.getByTestId("providers-hidden").textContent()) ?? "",
      /platform administrators when signed in/,
    );
    await page.close();
  });

  test("signed in as the platform admin, Status shows the providers and circuit breakers", async () => {
    const page = await open("/status", "admin");
    await page.getByRole("heading", { name: "Providers" }).waitFor({ timeout: 20_000 });
    assert.match((await page.getByTestId("provider-model").textContent()) ?? "", /offline/);
    assert.match((await page.getByRole("region", { name: "Providers" }).textContent()) ?? "", /Circuit breakers/);
    assert.equal(await page.getByTestId("providers-hidden").count(), 0);
    await page.close();
  });

  test("sidebar links change pages without a full reload", async () => {
    const page = await open("/status", "admin");
    await page.evaluate("window.__sameDocument = true");
    await followNavLinks(page, [
      ["Knowledge", "/knowledge"],
      ["API keys", "/keys"],
      ["Status", "/status"],
    ]);
    assert.equal(await page.evaluate("window.__sameDocument === true"), true, "the document was not reloaded");
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "API keys" }).waitFor();
    await page.close();
  });

  test("a client-side route loaded by URL falls back to the SPA and renders the layout", async () => {
    const page = await open("/agents", "admin");
    await page.getByRole("heading", { level: 1, name: "Agents" }).waitFor();
    assert.equal(await page.getByRole("banner").getByText("Liquid Hive").count(), 1);
    const nav = page.getByRole("navigation", { name: "Main" });
    assert.deepEqual(
      (await nav.getByRole("link").allTextContents()).map((t) => t.trim()),
      [
        "Status",
        "Agents",
        "Knowledge",
        "Swarm",
        "Evaluations",
        "Monitoring",
        "Safety",
        "Usage",
        "Members",
        "API keys",
        "Audit log",
        "Traces",
        "Users",
        "Flags",
      ],
    );
    assert.equal(await nav.getByRole("link", { name: "Agents" }).getAttribute("aria-current"), "page");
    assert.equal(
      await page.getByRole("main").getByRole("link", { name: "API reference" }).getAttribute("href"),
      "/api/docs",
    );
    await page.close();
  });

  test("API paths on the same origin still reach the Worker, not the SPA", async () => {
    const res = await fetch(`${suite.platform.url}/api/no-such-route`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error: { code: string; request_id: string } };
    assert.equal(body.error.code, "NOT_FOUND");
    assert.match(body.error.request_id, /^req_/);
  });

  test("when the API cannot be reached, Status says Unreachable and shows why", async () => {
    const page = await suite.browser.newPage();
    await page.route(/\/(health|ready)$/, (route) => route.abort("connectionrefused"));
    await page.goto(`${suite.platform.url}/status`);
    await page.getByTestId("overall-status").filter({ hasText: "Unreachable" }).waitFor({ timeout: 20_000 });
    const alert = page.getByRole("alert");
    assert.match((await alert.textContent()) ?? "", /\/health: Cannot reach \/health/);
    assert.match((await alert.textContent()) ?? "", /\/ready: Cannot reach \/ready/);
    assert.equal(await page.getByTestId("check-d1").count(), 0, "no stale checks are shown");
    await page.close();
  });

  test("a 503 from /ready shows Degraded and the failed check with its error", async () => {
    const page = await suite.browser.newPage();
    // The Worker's own 503 shape (worker/health/routes.ts); a real dependency outage cannot be
    // staged from a browser test.
    await page.route(/\/ready$/, (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({
          error: {
            code: "UNAVAILABLE",
            message: "Not ready: kv failed",
            details: {
              failed: ["kv"],
              checks: {
                d1: { ok: true, latency_ms: 3 },
                kv: { ok: false, latency_ms: 3000, error: "timed out after 3000 ms" },
              },
            },
            timestamp: new Date().toISOString(),
            request_id: "req_stubbed",
          },
        }),
      }),
    );
    await page.goto(`${suite.platform.url}/status`);
    await page.getByTestId("overall-status").filter({ hasText: "Degraded" }).waitFor({ timeout: 20_000 });
    assert.match((await page.getByRole("status").textContent()) ?? "", /kv failed its readiness check/);
    const kv = page.getByTestId("check-kv");
    assert.equal(await kv.getByTestId("check-status").textContent(), "failed");
    assert.match((await kv.textContent()) ?? "", /timed out after 3000 ms/);
    await page.close();
  });

  test("no page threw an uncaught error", () => {
    assert.deepEqual(pageErrors, []);
  });
});
