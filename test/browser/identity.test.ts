// Identity in the dashboard, end to end against the real platform under `wrangler dev`:
// signing in and out through the form, an API key shown once and used from outside the
// browser until it is revoked, workspaces and roles, the audit log and the flags page.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { ADMIN } from "./helpers/accounts";
import { fetchFromPage } from "./helpers/page-fetch";
import { platformSuite } from "./helpers/platform-suite";

const BOB = { email: "bob@example.com", password: "bobs long passphrase" } as const;

describe("dashboard identity: sign-in, API keys, workspaces, audit, flags", { timeout: 300_000 }, () => {
  const suite = platformSuite();
  const pageErrors: string[] = [];

  async function open(context: BrowserContext, path: string): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (err) => pageErrors.push(`${path}: ${err.message}`));
    await page.goto(`${suite.platform.url}${path}`);
    return page;
  }

  async function signInWithForm(page: Page, account: { email: string; password: string }) {
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    // Each attempt's answer arrives before the next: the previous attempt's error stays on screen
    // until then, so waiting for an alert alone could let attempts overlap.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/auth/login")),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
  }

  /** A new browser context signed in through the form that `path` asks for, once the page's `heading` shows. */
  async function signedIn(
    path: string,
    heading: string,
    account: { email: string; password: string } = ADMIN,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await suite.browser.newContext();
    const page = await open(context, path);
    await signInWithForm(page, account);
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    return { context, page };
  }

  /** The text of the header's current workspace, once it is `expected` (options are never "visible"). */
  async function currentWorkspace(page: Page, expected?: string): Promise<string> {
    const select = page.getByRole("banner").getByLabel("Workspace", { exact: true });
    const read = async () => (await select.locator("option:checked").textContent()) ?? "";
    if (expected !== undefined) await until(async () => (await read()) === expected);
    return read();
  }

  /** Polls `check` (the dashboard's CSP forbids the eval behind string waitForFunction). */
  async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A request from Node with an API key, as a script or `curl -H "Authorization: Bearer …"` would send it. */
  async function withKey(key: string, path: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${suite.platform.url}${path}`, { headers: { Authorization: `Bearer ${key}` } });
    return { status: res.status, body: await res.json() };
  }

  test("a wrong password shows the API's message and stays on the sign-in page", async () => {
    const context = await suite.browser.newContext();
    const page = await open(context, "/keys");
    await signInWithForm(page, { email: ADMIN.email, password: "not the password" });
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.equal(await alert.textContent(), "Invalid email or password.");
    assert.equal(await page.getByLabel("Password").inputValue(), "", "the password field is cleared");
    assert.equal(new URL(page.url()).pathname, "/keys");
    await context.close();
  });

  test("repeated failures lock the account and the page says for how long (429, Retry-After)", async () => {
    const context = await suite.browser.newContext();
    const page = await open(context, "/login");
    const target = { email: "locked@example.com", password: "wrong every time" };
    for (let i = 0; i < 5; i++) {
      await signInWithForm(page, target);
      await page.getByRole("alert").filter({ hasText: "Invalid email or password." }).waitFor();
    }
    await signInWithForm(page, target);
    await page.getByRole("alert").filter({ hasText: "Too many failed sign-in attempts" }).waitFor();
    assert.match(
      (await page.getByRole("alert").textContent()) ?? "",
      /^Too many failed sign-in attempts\. Try again in 1[45] minutes\.$/,
    );
    await context.close();
  });

  test("sign in, create an API key shown once, use it from outside the browser, revoke it: then it is refused", async () => {
    const { context, page } = await signedIn("/keys", "API keys");
    assert.equal(new URL(page.url()).pathname, "/keys", "signing in shows the page that asked for it");

    const user = page.getByTestId("signed-in-user");
    assert.match((await user.textContent()) ?? "", /admin@example\.com/);
    assert.match((await user.textContent()) ?? "", /platform admin/);
    assert.equal(await currentWorkspace(page), "Administrator's workspace (admin)");

    await page.getByLabel("Name").fill("e2e script");
    await page.getByRole("checkbox", { name: /^admin/ }).check();
    await page.getByRole("checkbox", { name: /^agents:read/ }).check();
    await page.getByRole("button", { name: "Create key" }).click();
    const panel = page.getByTestId("new-key-panel");
    await panel.waitFor();
    assert.match((await panel.textContent()) ?? "", /only time the key is shown/);
    const key = await page.getByTestId("new-key").inputValue();
    assert.match(key, /^lh_[A-Za-z0-9]{8}_[A-Za-z0-9]{40}$/);

    const listed = await withKey(key, "/api/keys");
    assert.equal(listed.status, 200);
    const keys = (listed.body as { data: { name: string; prefix: string }[] }).data;
    assert.deepEqual(
      keys.map((k) => k.name),
      ["e2e script"],
    );
    assert.ok(key.startsWith(keys[0]?.prefix ?? "?"));

    await page.getByRole("button", { name: "I have copied it" }).click();
    assert.equal(await page.getByTestId("new-key").count(), 0, "the key is gone from the page");
    const row = page.getByTestId("key-row").filter({ hasText: "e2e script" });
    assert.equal(await row.getByTestId("key-status").textContent(), "active");
    assert.match((await row.textContent()) ?? "", /admin, agents:read/);
    assert.ok(!(await page.content()).includes(key), "the secret is nowhere in the page any more");

    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByRole("button", { name: "Revoke key" }).click();
    await row.waitFor({ state: "detached" });
    await page.getByLabel("Show revoked keys").check();
    assert.equal(
      await page.getByTestId("key-row").filter({ hasText: "e2e script" }).getByTestId("key-status").textContent(),
      "revoked",
    );

    const refused = await withKey(key, "/api/keys");
    assert.equal(refused.status, 401);
    assert.equal((refused.body as { error: { code: string } }).error.code, "UNAUTHENTICATED");
    await context.close();
  });

  test("signing out returns to the sign-in page and the session is over", async () => {
    const { context, page } = await signedIn("/members", "Members");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/login");
    assert.equal((await fetchFromPage(page, "GET", "/api/auth/me")).status, 401);
    await page.goto(`${suite.platform.url}/keys`);
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    await page.getByRole("link", { name: "System status" }).click();
    await page.getByRole("heading", { level: 1, name: "Status" }).waitFor();
    const nav = page.getByRole("navigation", { name: "Main" });
    assert.deepEqual(
      (await nav.getByRole("link").allTextContents()).map((t) => t.trim()),
      ["Status"],
      "visitors see the public page only",
    );
    await context.close();
  });

  test("workspaces and roles: a new workspace, a member invited as user who accepts, what that member may see", async () => {
    const { context: admin, page } = await signedIn("/users", "Users");
    const newUser = page.getByRole("region", { name: "New user" });
    await newUser.getByLabel("Email").fill(BOB.email);
    await newUser.getByLabel("Name (optional)").fill("Bob");
    await newUser.getByLabel("Initial password").fill(BOB.password);
    await newUser.getByRole("button", { name: "Create user" }).click();
    await page.getByTestId("user-row").filter({ hasText: BOB.email }).waitFor();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
    await page.getByRole("heading", { level: 1, name: "Members" }).waitFor();
    const create = page.getByRole("region", { name: "New workspace" });
    await create.getByLabel("Name").fill("Team Hive");
    await create.getByRole("button", { name: "Create and switch" }).click();
    assert.equal(await currentWorkspace(page, "Team Hive (admin)"), "Team Hive (admin)");
    await page.getByRole("main").getByText("Team Hive", { exact: true }).waitFor();

    // Inviting answers the same for an address with no account as for Bob's: nothing to learn.
    const invite = page.getByRole("region", { name: "Invite a member" });
    const pendingRows = page.getByTestId("invitation-row");
    for (const email of ["nobody@example.com", BOB.email]) {
      await invite.getByLabel("Email").fill(email);
      await invite.getByLabel("Role").selectOption("user");
      await invite.getByRole("button", { name: "Send invitation" }).click();
      await invite
        .getByRole("status")
        .filter({ hasText: `Invited ${email}. They join when they accept it` })
        .waitFor();
      await pendingRows.filter({ hasText: email }).waitFor();
    }
    const nobody = pendingRows.filter({ hasText: "nobody@example.com" });
    await nobody.getByRole("button", { name: "Revoke" }).click();
    await nobody.getByRole("button", { name: "Revoke invitation" }).click();
    await nobody.waitFor({ state: "detached" });
    const bobRow = page.getByTestId("member-row").filter({ hasText: BOB.email });
    assert.equal(await bobRow.count(), 0, "an invitation adds nobody");

    const { context: bobContext, page: bob } = await signedIn("/members", "Members", BOB);
    const switcher = bob.getByRole("banner").getByLabel("Workspace", { exact: true });
    assert.deepEqual(await switcher.locator("option").allTextContents(), ["Bob's workspace (admin)"]);
    const mine = bob.getByRole("region", { name: "Invitations for you" });
    assert.match(
      (await mine.getByTestId("my-invitation-row").textContent()) ?? "",
      /Team Hive.*User.*admin@example\.com/,
    );
    await mine.getByRole("button", { name: "Accept the invitation to Team Hive" }).click();
    await mine.waitFor({ state: "detached" });
    await until(async () => (await switcher.locator("option").count()) === 2);
    const options = await switcher.locator("option").allTextContents();
    assert.deepEqual(options.sort(), ["Bob's workspace (admin)", "Team Hive (user)"]);
    await page.reload();
    await bobRow.waitFor();
    assert.equal(await bobRow.getByLabel(`Role of ${BOB.email}`).inputValue(), "user");
    assert.equal(await pendingRows.count(), 0);
    await bob.getByRole("banner").getByLabel("Workspace", { exact: true }).selectOption({ label: "Team Hive (user)" });
    await bob.getByText("Only the workspace's admins can invite members or change roles.").waitFor();
    assert.equal(await bob.getByRole("region", { name: "Invite a member" }).count(), 0);
    assert.equal(await bob.getByRole("region", { name: "Pending invitations" }).count(), 0);
    assert.equal(await bob.getByRole("button", { name: "Remove" }).count(), 0);
    assert.match((await bob.getByTestId("member-row").filter({ hasText: ADMIN.email }).textContent()) ?? "", /Admin/);
    const nav = bob.getByRole("navigation", { name: "Main" });
    const links = (await nav.getByRole("link").allTextContents()).map((t) => t.trim());
    for (const hidden of ["Audit log", "Traces", "Users", "Flags"])
      assert.ok(!links.includes(hidden), `${hidden} is hidden from a user`);
    assert.ok(links.includes("API keys") && links.includes("Members"));
    await bob.goto(`${suite.platform.url}/users`);
    await bob.getByRole("heading", { level: 1, name: "Not available" }).waitFor();

    // The admin makes Bob read-only: on his next load the audit log is his to read.
    const changed = page.waitForResponse((r) => r.url().includes("/members/") && r.request().method() === "PATCH");
    await bobRow.getByLabel(`Role of ${BOB.email}`).selectOption("read_only");
    assert.equal((await changed).status(), 200);
    await bob.goto(`${suite.platform.url}/audit`);
    await bob.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    await bob.getByTestId("audit-row").first().waitFor();
    await bobContext.close();
    await admin.close();
  });

  test("the audit log filters by action and pages with next and previous", async () => {
    const { context, page } = await signedIn("/audit", "Audit log");
    // 26 more key creations than a page holds, in the workspace this session acts in.
    for (let i = 0; i < 26; i++)
      assert.equal(
        (await fetchFromPage(page, "POST", "/api/keys", { name: `bulk ${i}`, scopes: ["agents:read"] })).status,
        201,
      );
    await page.getByLabel("Action").fill("key.create");
    await page.getByRole("button", { name: "Apply filters" }).click();
    const rows = page.getByTestId("audit-row");
    const pager = page.getByRole("navigation", { name: "Audit log pages" });
    await pager.waitFor();
    assert.equal(await rows.count(), 25);
    assert.deepEqual([...new Set(await rows.locator("th code").allTextContents())], ["key.create"]);
    // Actors are named by their email (and name), not only by id.
    assert.match((await rows.first().textContent()) ?? "", new RegExp(ADMIN.email.replace(/[.]/g, "\\.")));
    const firstPage = await rows.first().textContent();
    await pager.getByRole("button", { name: "Next" }).click();
    await pager.getByText("Page 2").waitFor();
    await until(async () => (await rows.count()) < 25);
    assert.ok((await rows.count()) >= 1);
    await pager.getByRole("button", { name: "Previous" }).click();
    await pager.getByText("Page 1").waitFor();
    await until(async () => (await rows.count()) === 25);
    assert.equal(await rows.first().textContent(), firstPage);

    await page.getByLabel("Action").fill("not an action!");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByRole("alert").filter({ hasText: "VALIDATION_ERROR" }).waitFor();
    await context.close();
  });

  test("flags: kill switches toggle, a flag with variants is created and its exposures are counted", async () => {
    const { context, page } = await signedIn("/flags", "Flags");

    const inference = page.getByRole("switch", { name: "Inference", exact: true });
    assert.equal(await inference.getAttribute("aria-checked"), "true", "kill switches start on");
    await inference.click();
    await page.getByRole("switch", { name: "Inference", exact: true, checked: false }).waitFor();
    const listed = await fetchFromPage<{ kill_switches: { key: string; on: boolean }[] }>(page, "GET", "/api/flags");
    assert.deepEqual(
      listed.body.kill_switches.map(({ key, on }) => ({ key, on })),
      [
        { key: "inference", on: false },
        { key: "ingestion", on: true },
      ],
    );
    await page.getByRole("switch", { name: "Inference", exact: true }).click();
    await page.getByRole("switch", { name: "Inference", exact: true, checked: true }).waitFor();

    await page.getByRole("button", { name: "New flag" }).click();
    await page.getByLabel("Key", { exact: true }).fill("new-checkout");
    await page.getByLabel("Description").fill("The one-page checkout");
    await page.getByLabel("Enabled (off: everyone gets the default)").check();
    await page.getByLabel("Rollout %").fill("100");
    await page.getByRole("button", { name: "Add variant" }).click();
    await page.getByLabel("Variant 1 name").fill("control");
    await page.getByRole("button", { name: "Add variant" }).click();
    await page.getByLabel("Variant 2 name").fill("treatment");
    await page.getByLabel("Variant 2 weight").fill("50");
    await page.getByRole("checkbox", { name: "Admins" }).check();
    await page.getByRole("button", { name: "Create flag" }).click();
    const row = page.getByTestId("flag-row").filter({ hasText: "new-checkout" });
    await row.waitFor();
    assert.match(
      (await row.textContent()) ?? "",
      /100% rollout · variants control \(50\), treatment \(50\) · roles admin/,
    );

    const decision = await fetchFromPage<{ enabled: boolean; variant: string }>(
      page,
      "GET",
      "/api/flags/new-checkout/decision",
    );
    assert.equal(decision.body.enabled, true);
    await row.getByRole("button", { name: "Exposures" }).click();
    const exposures = page.getByTestId("flag-exposures");
    const served = exposures.getByRole("row").filter({ hasText: decision.body.variant });
    await served.waitFor();
    assert.match((await served.textContent()) ?? "", new RegExp(`^${decision.body.variant}1100\\.0%50\\.0%$`));

    await row.getByRole("button", { name: "Delete" }).click();
    await row.getByRole("button", { name: "Delete flag" }).click();
    await row.waitFor({ state: "detached" });
    await context.close();
  });

  test("no page threw an uncaught error", () => {
    assert.deepEqual(pageErrors, []);
  });
});
