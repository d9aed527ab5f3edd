// Agents and the chat playground, end to end against the real platform under `wrangler dev`:
// an agent created in the form, answers streamed over SSE (the offline model's deterministic,
// degraded answer; the scripted development model for a slow stream to watch and to Stop),
// conversation history, versions and rollback. Tool calls and approvals need a model that asks
// for tools, which no local provider does, so that one test replays the Worker's SSE frames.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { createFromPage } from "./helpers/page-fetch";
import { signedInDashboardSuite } from "./helpers/signed-in-dashboard";

// worker/core/providers/offline-model.ts answers this when the agent has no knowledge to quote.
const OFFLINE_ANSWER =
  /^No language model is configured for this agent, so I can only quote its sources\. This agent has no knowledge base attached/;

describe("dashboard agents and chat", { timeout: 300_000 }, () => {
  const dashboard = signedInDashboardSuite();
  const open = dashboard.open;
  let agentPath = "";

  /** Creates an agent through the API with the page's session, for tests about other things than the form. */
  const createAgent = (page: Page, body: Record<string, unknown>) => createFromPage(page, "/api/agents", body);

  async function send(page: Page, message: string): Promise<void> {
    await page.getByLabel("Message").fill(message);
    await page.getByRole("button", { name: "Send" }).click();
  }

  test("an agent created in the form is listed, with version 1 current", async () => {
    const page = await open("/agents");
    await page.getByRole("heading", { level: 1, name: "Agents" }).waitFor();
    await page.getByRole("link", { name: "New agent" }).click();
    await page.getByRole("heading", { level: 1, name: "New agent" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Helpdesk");
    await page.getByLabel("Description").fill("Answers questions about the office");
    await page.getByLabel("System prompt").fill("Be brief.");
    await page.getByLabel("Temperature").fill("0.2");
    await page.getByRole("checkbox", { name: /Calculator/ }).check();
    assert.equal(
      await page.getByRole("checkbox", { name: /callers add system messages/ }).isChecked(),
      false,
      "off by default",
    );
    await page.getByRole("checkbox", { name: /callers add system messages/ }).check();
    await page.getByRole("button", { name: "Create agent" }).click();

    await page.getByRole("heading", { level: 1, name: "Helpdesk" }).waitFor();
    agentPath = new URL(page.url()).pathname;
    assert.match(agentPath, /^\/agent\/agt_[A-Za-z0-9]+$/);
    const stored = await page.evaluate(
      async (path) =>
        (await (await fetch(`/api${path.replace("/agent/", "/agents/")}`)).json()) as {
          definition: { allow_system_override: boolean };
        },
      agentPath,
    );
    assert.equal(stored.definition.allow_system_override, true);
    const config = page.getByRole("region", { name: /Configuration/ });
    assert.match((await config.textContent()) ?? "", /offline:offline/);
    assert.match((await config.textContent()) ?? "", /Calculator/);
    const versions = page.getByTestId("agent-version");
    await versions.first().waitFor();
    assert.equal(await versions.count(), 1);
    assert.match((await versions.first().textContent()) ?? "", /Version 1\s*current/);
    assert.equal(
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Agents" })
        .getAttribute("aria-current"),
      "page",
      "the agent page keeps Agents highlighted",
    );

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Agents" }).click();
    const row = page.getByTestId("agent-row").filter({ hasText: "Helpdesk" });
    await row.waitFor();
    assert.match((await row.textContent()) ?? "", /offline:offline.*Calculator.*v1/);
    await page.close();
  });

  test("chat streams the offline model's answer, marked degraded, with token usage", async () => {
    assert.ok(agentPath, "needs the agent from the first test");
    const page = await open(`${agentPath}/chat`);
    await page.getByRole("heading", { level: 1, name: "Chat with Helpdesk" }).waitFor();
    await send(page, "Where is the printer?");

    const answer = page.getByTestId("answer").last();
    await answer.and(page.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    assert.match((await answer.getByTestId("answer-text").first().textContent()) ?? "", OFFLINE_ANSWER);
    // And why: no language model is configured in this local environment.
    assert.equal(await answer.getByTestId("degraded-badge").textContent(), "degraded: no model configured");
    assert.match((await answer.getByTestId("usage").textContent()) ?? "", /^\d+ tokens in · [1-9]\d* out · \d+ ms$/);
    assert.equal(await page.getByTestId("user-message").textContent(), "Where is the printer?");
    // The new conversation got its own address.
    assert.match(new URL(page.url()).pathname, new RegExp(`^${agentPath}/chat/conv_[A-Za-z0-9]+$`));

    // A second message continues the same conversation.
    const conversationPath = new URL(page.url()).pathname;
    await send(page, "And the coffee machine?");
    await page.getByTestId("answer").nth(1).and(page.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    assert.equal(new URL(page.url()).pathname, conversationPath);
    await page.close();
  });

  test("an agent with a knowledge base answers offline by quoting it, with numbered sources linking to the document and its original", async () => {
    const page = await open("/agents");
    const content =
      "Boundary layer flow over a heated flat plate.\n\nThe heat transfer in a laminar boundary layer depends on the Prandtl number and the wall temperature gradient.";
    const kbId = await createFromPage(page, "/api/knowledge-bases", { name: "Aero" });
    const docId = await createFromPage(
      page,
      `/api/knowledge-bases/${kbId}/documents`,
      { name: "boundary-layers.txt", content },
      202,
    );
    const kb = { id: kbId, docId };
    // Ingestion runs on the local queue; wait until the document is searchable.
    let status = "";
    for (let i = 0; i < 100 && status !== "ready"; i++) {
      status = await page.evaluate(
        async (k) =>
          ((await (await fetch(`/api/knowledge-bases/${k.id}/documents/${k.docId}`)).json()) as { status: string })
            .status,
        kb,
      );
      if (status !== "ready") await page.waitForTimeout(200);
    }
    assert.equal(status, "ready");
    const id = await createAgent(page, { name: "Aerobot", tools: ["knowledge_search"], knowledge_base_ids: [kb.id] });
    await page.goto(`${dashboard.platform.url}/agent/${id}/chat`);
    await page.getByRole("heading", { level: 1, name: "Chat with Aerobot" }).waitFor();
    await send(page, "What affects heat transfer in a boundary layer?");

    const answer = page.getByTestId("answer").last();
    await answer.and(page.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    const text = (await answer.getByTestId("answer-text").first().textContent()) ?? "";
    assert.doesNotMatch(text, /Attach a knowledge base/);
    const quoted = /"(The heat transfer in a laminar boundary layer[^"]+)" \[(\d+)\]/.exec(text);
    assert.ok(quoted, text);
    const source = answer.getByTestId("citation");
    assert.equal(await source.count(), 1);
    assert.equal(
      await source.getAttribute("data-marker"),
      quoted[2],
      "the source is numbered like the answer's marker",
    );
    assert.match(
      (await source.textContent()) ?? "",
      new RegExp(`^\\[${quoted[2]}\\] boundary-layers\\.txt\\s+chars \\d+–\\d+`),
    );
    assert.match((await source.textContent()) ?? "", /Prandtl number/);
    assert.equal(await source.getByTestId("citation-document").getAttribute("title"), `Document ${kb.docId}`);

    // Reopened from history, the stored message shows the same sources.
    const conversationUrl = page.url();
    await page.reload();
    const stored = page.getByTestId("answer").last().getByTestId("citation");
    await stored.waitFor();
    assert.equal(await stored.getAttribute("data-marker"), quoted[2]);
    assert.match((await stored.textContent()) ?? "", /boundary-layers\.txt/);

    // The source downloads the document's original, fetched with the session.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      stored.getByTestId("citation-original").click(),
    ]);
    assert.equal(download.suggestedFilename(), "boundary-layers.txt");
    assert.equal(await readFile(await download.path(), "utf8"), content);

    // The source links to the knowledge base that holds the document.
    await stored.getByTestId("citation-document").click();
    await page.waitForURL(`**/knowledge/${kb.id}`);
    await page.getByTestId("document-row").filter({ hasText: "boundary-layers.txt" }).waitFor();
    assert.notEqual(page.url(), conversationUrl);
    await page.close();
  });

  test("typing a first message opens the conversation ahead; a draft left unsent leaves no conversation behind", async () => {
    assert.ok(agentPath, "needs the agent from the first test");
    const opening = (page: Page) =>
      page.waitForResponse(
        (r) =>
          r.request().method() === "POST" &&
          new URL(r.url()).pathname === `/api${agentPath.replace("/agent/", "/agents/")}/conversations`,
      );
    const page = await open(`${agentPath}/chat`);
    await page.getByRole("heading", { level: 1, name: "Chat with Helpdesk" }).waitFor();
    const opened = opening(page);
    await page.getByLabel("Message").fill("Is the lift working?");
    const res = await opened;
    assert.equal(res.status(), 201);
    const { id } = (await res.json()) as { id: string };
    assert.equal(new URL(page.url()).pathname, `${agentPath}/chat`, "the address waits for the first message");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("answer").last().and(page.locator('[data-state="done"]')).waitFor({ timeout: 20_000 });
    assert.equal(
      new URL(page.url()).pathname,
      `${agentPath}/chat/${id}`,
      "the first message went to the conversation opened ahead",
    );
    const stored = await page.evaluate(
      async (cid) =>
        (await (await fetch(`/api/conversations/${cid}`)).json()) as { title: string; messages: { data: unknown[] } },
      id,
    );
    assert.equal(stored.title, "Is the lift working?");
    assert.equal(stored.messages.data.length, 2);

    // A draft, then leaving the playground: the conversation opened for it is deleted.
    await page.getByRole("link", { name: "New conversation" }).click();
    await page.waitForURL(`**${agentPath}/chat`);
    const second = opening(page);
    await page.getByLabel("Message").fill("never mind");
    const abandoned = ((await (await second).json()) as { id: string }).id;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Agents" }).click();
    await page.getByRole("heading", { level: 1, name: "Agents" }).waitFor();
    let status = 0;
    for (let i = 0; i < 50 && status !== 404; i++) {
      status = await page.evaluate(async (cid) => (await fetch(`/api/conversations/${cid}`)).status, abandoned);
      if (status !== 404) await page.waitForTimeout(100);
    }
    assert.equal(status, 404, "the unused conversation was deleted");
    await page.close();
  });

  test("a slow answer appears token by token, and Stop cancels it on the server", async () => {
    const page = await open("/agents");
    // The scripted provider (development and test only): 400 tokens, one every 40 ms.
    const id = await createAgent(page, { name: "Slow talker", model: { provider: "scripted", id: "400:40" } });
    await page.goto(`${dashboard.platform.url}/agent/${id}/chat`);
    await page.getByRole("heading", { level: 1, name: "Chat with Slow talker" }).waitFor();
    await send(page, "Count for me");

    const text = page.getByTestId("answer-text").first();
    await text.waitFor();
    // Watch the text grow while it streams: several distinct lengths, each longer than the last.
    const lengths: number[] = [];
    for (let i = 0; i < 6; i++) {
      lengths.push(((await text.textContent()) ?? "").length);
      await page.waitForTimeout(150);
    }
    assert.ok(new Set(lengths).size >= 4, `the answer grew while streaming: ${lengths.join(", ")}`);
    assert.deepEqual(
      [...lengths].sort((a, b) => a - b),
      lengths,
    );

    await page.getByRole("button", { name: "Stop" }).click();
    const answer = page.getByTestId("answer").first();
    await answer.and(page.locator('[data-state="cancelled"]')).waitFor({ timeout: 10_000 });
    assert.match((await answer.textContent()) ?? "", /Stopped\./);
    const stoppedAt = ((await text.textContent()) ?? "").length;
    await page.waitForTimeout(400);
    assert.equal(((await text.textContent()) ?? "").length, stoppedAt, "no tokens after Stop");
    assert.ok(stoppedAt < "tok0".length + 399 * " tokNNN".length, "the answer was cut short");

    // The server agrees: the conversation is stored as cancelled, not running.
    const conversationId = new URL(page.url()).pathname.split("/").pop() ?? "";
    const stored = await page.evaluate(
      async (cid) =>
        (await (await fetch(`/api/conversations/${cid}`)).json()) as { status: string; live_status: string },
      conversationId,
    );
    assert.equal(stored.live_status, "idle");
    assert.equal(stored.status, "cancelled");
    await page.close();
  });

  test("conversation history: list, reopen with the stored answer, delete", async () => {
    const page = await open("/conversations");
    await page.getByRole("heading", { level: 1, name: "Conversations" }).waitFor();
    const row = page.getByTestId("conversation-row").filter({ hasText: "Where is the printer?" });
    // The agent's name replaces its id once the agents list has loaded.
    await row.filter({ hasText: "Helpdesk" }).waitFor();
    assert.match((await row.textContent()) ?? "", /Helpdesk/);
    await row.getByRole("link", { name: "Where is the printer?" }).click();

    await page.getByRole("heading", { level: 1, name: "Chat with Helpdesk" }).waitFor();
    const answers = page.getByTestId("answer");
    await answers.nth(1).waitFor();
    assert.match((await answers.first().getByTestId("answer-text").first().textContent()) ?? "", OFFLINE_ANSWER);
    assert.equal(
      await answers.first().getByTestId("degraded-badge").count(),
      1,
      "the stored answer is still marked degraded",
    );
    assert.deepEqual(await page.getByTestId("user-message").allTextContents(), [
      "Where is the printer?",
      "And the coffee machine?",
    ]);

    await page.goto(`${dashboard.platform.url}/conversations`);
    const again = page.getByTestId("conversation-row").filter({ hasText: "Where is the printer?" });
    await again.getByRole("button", { name: "Delete" }).click();
    await again.getByRole("button", { name: "Delete" }).click();
    await again.waitFor({ state: "detached" });
    await page.close();
  });

  test("editing stores version 2; rolling back to v1 stores version 3 with v1's configuration", async () => {
    assert.ok(agentPath, "needs the agent from the first test");
    const page = await open(`${agentPath}/edit`);
    await page.getByRole("heading", { level: 1, name: "Edit Helpdesk" }).waitFor();
    await page.getByLabel("System prompt").fill("Be thorough.");
    await page.getByRole("button", { name: "Save as new version" }).click();
    await page.getByRole("heading", { level: 1, name: "Helpdesk" }).waitFor();
    const versions = page.getByTestId("agent-version");
    await versions.nth(1).waitFor();
    assert.match((await versions.first().textContent()) ?? "", /Version 2\s*current/);

    await versions.nth(1).getByRole("button", { name: "Roll back to v1" }).click();
    await versions.nth(1).getByRole("button", { name: "Roll back", exact: true }).click();
    await page.getByTestId("agent-version").filter({ hasText: "Version 3" }).waitFor();
    assert.match((await page.getByTestId("agent-version").first().textContent()) ?? "", /Version 3\s*current/);
    assert.match((await page.getByRole("region", { name: /Configuration/ }).textContent()) ?? "", /Be brief\./);
    await page.close();
  });

  test("tool calls show their arguments and results; approval buttons resume the answer", async () => {
    const page = await open("/agents");
    const id = await createAgent(page, { name: "Fetcher", tools: ["http_get"] });
    const frames = (events: object[]) =>
      events.map((e) => `event: ${(e as { type: string }).type}\ndata: ${JSON.stringify(e)}\n\n`).join("");
    const decisions: unknown[] = [];
    const start = (resumed: boolean) => ({
      type: "start",
      conversation_id: "conv_replayed",
      message_id: "msg_1",
      agent_id: id,
      agent_version: 1,
      resumed,
    });
    // The Worker's own frames (worker/chat/events.ts) for an answer that stops at a side-effecting tool.
    await page.route(`**/api/agents/${id}/chat`, (route) =>
      route.fulfill({
        status: 200,
        headers: { "Content-Type": "text/event-stream", "X-Conversation-Id": "conv_replayed" },
        body: frames([
          start(false),
          { type: "token", delta: "Let me fetch that." },
          {
            type: "tool_call",
            call_id: "call_1",
            name: "http_get",
            arguments: '{"url":"https://example.com/status"}',
            side_effects: true,
          },
          {
            type: "approval_required",
            call_id: "call_1",
            name: "http_get",
            arguments: '{"url":"https://example.com/status"}',
          },
          { type: "usage", tokens_in: 12, tokens_out: 5, latency_ms: 30, model: "workers-ai:llama", degraded: false },
          {
            type: "done",
            reason: "awaiting_approval",
            message_id: "msg_1",
            degraded: false,
            pending_approvals: ["call_1"],
          },
        ]),
      }),
    );
    await page.route("**/api/conversations/conv_replayed/approvals/call_1", (route) => {
      decisions.push(route.request().postDataJSON());
      return route.fulfill({
        status: 200,
        headers: { "Content-Type": "text/event-stream" },
        body: frames([
          start(true),
          {
            type: "tool_result",
            call_id: "call_1",
            name: "http_get",
            status: "ok",
            content: "All systems operational",
          },
          { type: "token", delta: "Everything is up." },
          { type: "usage", tokens_in: 20, tokens_out: 4, latency_ms: 25, model: "workers-ai:llama", degraded: false },
          { type: "done", reason: "stop", message_id: "msg_2", degraded: false, pending_approvals: [] },
        ]),
      });
    });

    await page.goto(`${dashboard.platform.url}/agent/${id}/chat`);
    await page.getByRole("heading", { level: 1, name: "Chat with Fetcher" }).waitFor();
    await send(page, "Is example.com up?");
    const call = page.getByTestId("tool-call");
    await call.getByRole("button", { name: "Approve" }).waitFor();
    assert.match((await call.textContent()) ?? "", /http_get/);
    assert.match((await call.getByLabel("Arguments").textContent()) ?? "", /"url": "https:\/\/example\.com\/status"/);
    assert.equal(
      await page.getByRole("button", { name: "Send" }).isDisabled(),
      true,
      "no new message while a tool call waits",
    );
    assert.equal(await page.getByTestId("degraded-badge").count(), 0, "a real model's answer is not degraded");

    await call.getByRole("button", { name: "Approve" }).click();
    await page.getByTestId("answer").and(page.locator('[data-state="done"]')).waitFor();
    assert.deepEqual(decisions, [{ decision: "approve" }]);
    assert.match((await call.textContent()) ?? "", /ok/);
    assert.match((await call.textContent()) ?? "", /All systems operational/);
    assert.deepEqual(await page.getByTestId("answer-text").allTextContents(), [
      "Let me fetch that.",
      "Everything is up.",
    ]);
    assert.equal(await call.getByRole("button", { name: "Approve" }).count(), 0);
    // The address took the conversation's id without reloading it (it exists only in this replay).
    assert.equal(new URL(page.url()).pathname, `/agent/${id}/chat/conv_replayed`);
    assert.equal(await page.getByText("Could not open the conversation").count(), 0);
    await page.close();
  });

  test("no page threw an uncaught error", () => {
    assert.deepEqual(dashboard.pageErrors, []);
  });
});
