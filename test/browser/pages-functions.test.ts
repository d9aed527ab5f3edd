// The production topology locally: `wrangler pages dev` serves the dashboard and its Pages
// Functions forward the API paths to the Worker through the `API` service binding. Every API
// path must answer exactly as the Worker does; dashboard paths must stay static.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type PagesStack, startPagesStack } from "./helpers/pages";

interface Answer {
  status: number;
  type: string;
  code: string | null;
  requestId: string | null;
}

async function answer(url: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const type = res.headers.get("content-type") ?? "";
  const body: unknown = type.includes("json") ? await res.json() : await res.text();
  const error = typeof body === "object" && body !== null && "error" in body ? (body.error as { code?: string }) : null;
  return { status: res.status, type, code: error?.code ?? null, requestId: res.headers.get("x-request-id") };
}

describe("Pages Functions in front of the Worker", { timeout: 300_000 }, () => {
  let stack: PagesStack;

  before(async () => {
    stack = await startPagesStack();
  });
  after(() => stack?.close());

  test("API paths answer from the Worker, as the Worker answers them directly", async () => {
    const paths = [
      "/health",
      "/ready",
      "/api/no-such-route",
      "/v1/no-such-route",
      "/mcp",
      "/agents/no-such-class/x",
      "/metrics",
    ];
    for (const path of paths) {
      const direct = await answer(`${stack.platform.url}${path}`);
      const proxied = await answer(`${stack.site.url}${path}`);
      assert.deepEqual(
        { status: proxied.status, type: proxied.type, code: proxied.code },
        { status: direct.status, type: direct.type, code: direct.code },
        path,
      );
      assert.match(proxied.requestId ?? "", /^req_/, `${path} carries the Worker's request id`);
    }
  });

  test("methods and bodies pass through unchanged", async () => {
    const init = { method: "POST", headers: { "content-type": "application/json" }, body: "{}" };
    const direct = await answer(`${stack.platform.url}/health`, init);
    const proxied = await answer(`${stack.site.url}/health`, init);
    assert.equal(direct.status, 405);
    assert.deepEqual(proxied, { ...direct, requestId: proxied.requestId });
  });

  test("dashboard paths, including /agents itself, stay with the static SPA", async () => {
    for (const path of ["/", "/status", "/agents", "/settings"]) {
      const res = await fetch(`${stack.site.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get("content-type") ?? "", /text\/html/, path);
      assert.match(await res.text(), /<div id="root"><\/div>/, path);
    }
  });

  test("the dashboard served by Pages reports the platform Healthy", async () => {
    const page = await stack.browser.newPage();
    await page.goto(`${stack.site.url}/status`);
    await page.getByTestId("overall-status").filter({ hasText: "Healthy" }).waitFor({ timeout: 20_000 });
    for (const check of ["d1", "kv", "durable_objects"]) {
      assert.equal(await page.getByTestId(`check-${check}`).getByTestId("check-status").textContent(), "ok", check);
    }
    await page.close();
  });
});
