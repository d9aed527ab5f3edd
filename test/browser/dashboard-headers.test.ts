// The dashboard's documents carry the same strict headers wherever they come from: `/` and
// `/index.html` from static assets, client routes from the Worker's fallback under `wrangler
// dev`, and all of them from Pages (`wrangler pages dev` with web/public/_headers). The app
// still works under that CSP: signing in through the form and moving between pages raise no
// CSP violation and no page error.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { ADMIN, ADMIN_VARS } from "./helpers/accounts";
import { followNavLinks } from "./helpers/nav";
import { type PagesStack, startPagesStack } from "./helpers/pages";
import { ROOT } from "./helpers/processes";

/** The `/*` rule of web/public/_headers, names lower-cased: what every document must carry. */
const EXPECTED: Record<string, string> = Object.fromEntries(
  readFileSync(join(ROOT, "web/public/_headers"), "utf8")
    .split("\n")
    .filter((line) => /^\s+\S/.test(line))
    .map((line) => {
      const at = line.indexOf(":");
      return [line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()];
    }),
);

describe("dashboard documents' security headers, locally and on Pages", { timeout: 300_000 }, () => {
  let stack: PagesStack;
  const problems: string[] = [];

  before(async () => {
    stack = await startPagesStack(ADMIN_VARS);
  });
  after(() => stack?.close());

  /** A page that records CSP violations (reported by the browser) and uncaught errors. */
  async function watchedPage(): Promise<Page> {
    const page = await stack.browser.newPage();
    // Injected by the DevTools protocol, so the page's own CSP does not stop it.
    await page.addInitScript(
      'document.addEventListener("securitypolicyviolation", (e) => console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI));',
    );
    page.on("console", (msg) => {
      if (msg.type() === "error" && /Content Security Policy|CSP violation/i.test(msg.text()))
        problems.push(`${page.url()}: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`${page.url()}: ${err.message}`));
    return page;
  }

  test("the expected set is the strict one", () => {
    assert.match(EXPECTED["content-security-policy"] ?? "", /frame-ancestors 'none'/);
    assert.match(EXPECTED["content-security-policy"] ?? "", /^default-src 'self';/);
    assert.doesNotMatch(EXPECTED["content-security-policy"] ?? "", /unsafe-inline|unsafe-eval/);
    assert.equal(EXPECTED["x-frame-options"], "DENY");
    assert.equal(EXPECTED["x-content-type-options"], "nosniff");
  });

  for (const where of ["wrangler dev", "Pages"] as const) {
    test(`${where}: /, /index.html and client routes carry every header`, async () => {
      const origin = where === "Pages" ? stack.site.url : stack.platform.url;
      for (const path of ["/", "/index.html", "/agents", "/status", "/keys"]) {
        // A fresh page each time: a revalidated (304) document would not show its headers.
        const page = await watchedPage();
        const res = await page.goto(`${origin}${path}`);
        assert.equal(res?.status(), 200, `${where} ${path}`);
        const headers = await res.allHeaders();
        assert.match(headers["content-type"] ?? "", /text\/html/, `${where} ${path}`);
        for (const [name, value] of Object.entries(EXPECTED))
          assert.equal(headers[name], value, `${where} ${path}: ${name}`);
        await page.close();
      }
    });

    test(`${where}: signing in and moving between pages works under the CSP`, async () => {
      const origin = where === "Pages" ? stack.site.url : stack.platform.url;
      const page = await watchedPage();
      await page.goto(`${origin}/keys`);
      await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "API keys" }).waitFor({ timeout: 20_000 });
      await followNavLinks(page, [
        ["Agents", "/agents"],
        ["Knowledge", "/knowledge"],
        ["Status", "/status"],
      ]);
      await page.getByTestId("overall-status").filter({ hasText: "Healthy" }).waitFor({ timeout: 20_000 });
      // Styles applied: the stylesheet loaded under `style-src 'self'` (from default-src).
      const sheets = await page.evaluate<number>("document.styleSheets.length");
      assert.ok(sheets > 0, "the dashboard's stylesheet is applied");
      await page.close();
      assert.deepEqual(problems, [], "no CSP violation and no page error");
    });
  }

  test("another site cannot frame the dashboard", async () => {
    // A page without a CSP of its own, so only the dashboard's frame-ancestors decides.
    const page = await stack.browser.newPage();
    for (const url of [
      `${stack.platform.url}/`,
      `${stack.platform.url}/status`,
      `${stack.site.url}/`,
      `${stack.site.url}/status`,
    ]) {
      await page.setContent(`<iframe src="${url}"></iframe>`);
      const frame = page.frames()[1];
      assert.ok(frame, "the iframe exists");
      await frame.waitForLoadState("load").catch(() => undefined);
      const rendered = await frame
        .locator("#root")
        .count()
        .catch(() => 0);
      assert.equal(rendered, 0, `${url}: the dashboard did not render inside the frame`);
      // The control: the same document opened directly renders.
      const direct = await stack.browser.newPage();
      await direct.goto(url);
      assert.equal(await direct.locator("#root").count(), 1, url);
      await direct.close();
    }
    await page.close();
  });
});
