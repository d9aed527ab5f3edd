// Knowledge in the dashboard, end to end against the real platform under `wrangler dev` (local
// queue consumer, D1 full-text index, the built-in embedder and vector index): a knowledge base
// created in the form, files uploaded in batches with per-file results until they are indexed
// (200 at once, with live counts by state), refused files explained, search with highlighted snippets, per-retriever scores and citations.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { WORKERS_AI_EMBEDDING_MODELS } from "@hive/shared/api-types";
import { signedInDashboardSuite } from "./helpers/signed-in-dashboard";

const HANDBOOK = [
  "# Office handbook",
  "",
  "## Printing",
  "",
  "The printer on the second floor takes A4 paper. Replacement toner cartridges are kept in the supply room next to the kitchen.",
  "",
  "## Parking",
  "",
  "Visitors park in the spaces marked with a blue V. Staff permits are renewed every January at reception.",
].join("\n");

const FAQ = "Lunch is served from noon until two. The canteen closes early on Fridays.";

describe("dashboard knowledge bases: upload, ingestion, search", { timeout: 300_000 }, () => {
  const dashboard = signedInDashboardSuite();
  const open = dashboard.open;
  let kbPath = "";

  test("a knowledge base created in the form opens with its settings", async () => {
    const page = await open("/knowledge");
    await page.getByRole("heading", { level: 1, name: "Knowledge" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Handbook");
    await page.getByLabel("Description").fill("How the office works");
    await page.getByLabel("Chunk size (tokens)").fill("120");
    await page.getByLabel("Chunk overlap (tokens)").fill("20");
    await page.getByRole("button", { name: "Create knowledge base" }).click();

    await page.getByRole("heading", { level: 1, name: "Handbook" }).waitFor();
    kbPath = new URL(page.url()).pathname;
    assert.match(kbPath, /^\/knowledge\/kb_[A-Za-z0-9]+$/);
    const settings = (await page.getByRole("region", { name: "Settings" }).textContent()) ?? "";
    assert.match(settings, /up to 120 tokens per chunk, 20 tokens of overlap/);
    assert.match(settings, /0 \(0 chunks\)/);
    await page.close();
  });

  test("the embedding model field suggests this deployment's embedder and the shared Workers AI models", async () => {
    const page = await open("/knowledge");
    const field = page.getByLabel("Embedding model");
    await field.waitFor();
    // The deployment's embedder comes from /ready; wait for it to lead the suggestions.
    await page.getByText("Empty: this deployment's local-hash-v1").waitFor();
    const listId = await field.getAttribute("list");
    const options = await page
      .locator(`datalist[id="${listId}"] option`)
      .evaluateAll((els) => els.map((el) => el.getAttribute("value")));
    assert.deepEqual(options, ["local-hash-v1", ...WORKERS_AI_EMBEDDING_MODELS]);
    await page.close();
  });

  test("an overlap above half the chunk size is refused with the API's message next to the field", async () => {
    const page = await open("/knowledge");
    await page.getByLabel("Name", { exact: true }).fill("Too much overlap");
    await page.getByLabel("Chunk size (tokens)").fill("100");
    await page.getByLabel("Chunk overlap (tokens)").fill("80");
    // The browser's own max check would stop the form first; this is about the API's rule.
    await page
      .locator("form")
      .filter({ hasText: "New knowledge base" })
      .evaluate((form) => form.setAttribute("novalidate", ""));
    await page.getByRole("button", { name: "Create knowledge base" }).click();
    await page.getByText("chunk_overlap must be less than chunk_size and at most half of it").waitFor();
    assert.equal(new URL(page.url()).pathname, "/knowledge");
    await page.close();
  });

  test("uploading several files shows each one's progress until it is indexed; a broken file says why", async () => {
    assert.ok(kbPath, "needs the knowledge base from the first test");
    const page = await open(kbPath);
    await page.getByRole("heading", { level: 1, name: "Handbook" }).waitFor();
    await page.getByLabel("Files").setInputFiles([
      { name: "handbook.md", mimeType: "text/markdown", buffer: Buffer.from(HANDBOOK) },
      { name: "faq.txt", mimeType: "text/plain", buffer: Buffer.from(FAQ) },
      { name: "broken.pdf", mimeType: "application/pdf", buffer: Buffer.from("this is not a PDF") },
      { name: "setup.exe", mimeType: "application/octet-stream", buffer: Buffer.from([0x4d, 0x5a]) },
    ]);
    await page.getByLabel("Tags").fill("office");
    await page.getByRole("button", { name: "Upload" }).click();

    const item = (name: string) => page.getByTestId("upload-item").filter({ hasText: name });
    for (const name of ["handbook.md", "faq.txt"]) {
      await item(name).and(page.locator('[data-phase="ready"]')).waitFor({ timeout: 60_000 });
      assert.equal(await item(name).getByRole("progressbar").getAttribute("value"), "1", `${name} progress`);
      assert.match((await item(name).textContent()) ?? "", /indexed 100%/);
    }
    await item("broken.pdf").and(page.locator('[data-phase="failed"]')).waitFor();
    assert.match((await item("broken.pdf").textContent()) ?? "", /UNPROCESSABLE|PDF/i);
    assert.match((await item("setup.exe").textContent()) ?? "", /not uploaded.*Not a supported file type/);

    const rows = page.getByTestId("document-row");
    await page
      .getByTestId("document-row")
      .filter({ hasText: "faq.txt" })
      .getByTestId("document-status")
      .filter({ hasText: "ready" })
      .waitFor();
    assert.equal(await rows.count(), 2, "only the two good files became documents");
    const handbook = rows.filter({ hasText: "handbook.md" });
    assert.equal(await handbook.getByTestId("document-status").textContent(), "ready");
    assert.match((await handbook.textContent()) ?? "", /text\/markdown · office/);
    await page
      .getByTestId("kb-document-count")
      .filter({ hasText: /^2 \(\d+ chunks\)$/ })
      .waitFor();
    await page.close();
  });

  test("search shows highlighted hits with scores per retriever and their citation", async () => {
    assert.ok(kbPath, "needs the knowledge base from the first test");
    const page = await open(kbPath);
    await page.getByRole("link", { name: "Search" }).click();
    await page.getByRole("heading", { level: 1, name: "Search Handbook" }).waitFor();
    await page.getByLabel("Query").fill("toner cartridges");
    await page.getByRole("button", { name: "Search" }).click();

    const hit = page.getByTestId("search-hit").first();
    await hit.waitFor();
    assert.match((await hit.textContent()) ?? "", /handbook\.md/);
    const marks = await hit.getByTestId("hit-snippet").locator("mark").allTextContents();
    assert.ok(
      marks.some((m) => /toner/i.test(m)),
      `highlights: ${marks.join(", ")}`,
    );
    const citation = (await hit.getByTestId("hit-citation").textContent()) ?? "";
    const [, docId, start, end] =
      /^Cites handbook\.md (doc_[A-Za-z0-9]+), chunk chk_\w+, characters (\d+)–(\d+)/.exec(citation) ?? [];
    assert.ok(docId && start !== undefined && end !== undefined && Number(start) < Number(end), citation);
    // The offsets point into the document's extracted text, at the passage that was found.
    const text = await page.evaluate(
      async ([kb, doc]) =>
        (
          (await (await fetch(`/api/knowledge-bases/${kb}/documents/${doc}?include_text=true`)).json()) as {
            text: string;
          }
        ).text,
      [kbPath.split("/").pop() ?? "", docId] as const,
    );
    assert.match(text.slice(Number(start), Number(end)), /toner cartridges/);
    const scores = (await hit.locator(".hit-scores").textContent()) ?? "";
    assert.match(scores, /fused\d\.\d{4}lexical\d+\.\d{3} \(#1\)vector-?\d\.\d{3} \(#\d+\)/);
    assert.match((await page.getByTestId("search-meta").textContent()) ?? "", /^hybrid search in \d+ ms/);

    // Lexical only: no vector score, and the filter by tag still finds it.
    await page.getByLabel("Mode").selectOption("lexical");
    await page.getByLabel("Only documents tagged").fill("office");
    await page.getByRole("button", { name: "Search" }).click();
    await page
      .getByTestId("search-meta")
      .filter({ hasText: /^lexical search/ })
      .waitFor();
    assert.match((await page.getByTestId("search-hit").first().locator(".hit-scores").textContent()) ?? "", /vector—/);

    await page.getByLabel("Query").fill("zeppelin");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("Nothing matched.").waitFor();
    await page.close();
  });

  test("deleting a document and then the knowledge base", async () => {
    assert.ok(kbPath, "needs the knowledge base from the first test");
    const page = await open(kbPath);
    const faq = page.getByTestId("document-row").filter({ hasText: "faq.txt" });
    await faq.getByRole("button", { name: "Delete" }).click();
    await faq.getByRole("button", { name: "Delete" }).click();
    await faq.waitFor({ state: "detached" });
    await page.getByTestId("kb-document-count").filter({ hasText: /^1 / }).waitFor();

    await page.goto(`${dashboard.platform.url}/knowledge`);
    const row = page.getByTestId("kb-row").filter({ hasText: "Handbook" });
    await row.getByRole("button", { name: "Delete" }).click();
    await row.getByRole("button", { name: "Delete" }).click();
    await row.waitFor({ state: "detached" });
    const res = await page.evaluate(
      async (path) => (await fetch(`/api/knowledge-bases/${path.split("/").pop()}`)).status,
      kbPath,
    );
    assert.equal(res, 404);
    await page.close();
  });

  test("200 files uploaded at once go in batches, each with its result, and the page counts them to ready live", async () => {
    const page = await open("/knowledge");
    await page.getByLabel("Name", { exact: true }).fill("Bulk200");
    await page.getByRole("button", { name: "Create knowledge base" }).click();
    await page.getByRole("heading", { level: 1, name: "Bulk200" }).waitFor();
    const files = Array.from({ length: 200 }, (_, i) => ({
      name: `note-${String(i).padStart(3, "0")}.txt`,
      mimeType: "text/plain",
      buffer: Buffer.from(
        `Note ${i}: the wind tunnel run ${i * 7} measured a pressure ratio of ${(i / 10).toFixed(1)}.`,
      ),
    }));
    await page.getByLabel("Files").setInputFiles(files);
    const started = Date.now();
    await page.getByRole("button", { name: "Upload" }).click();

    // Live counts while ingestion runs, then all 200 ready with nothing in flight.
    await page.locator('[data-testid="ingestion"][data-in-flight="true"]').waitFor({ timeout: 30_000 });
    await page.getByTestId("ingestion-ready").filter({ hasText: /^200$/ }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="ingestion"][data-in-flight="false"]').waitFor();
    const items = page.getByTestId("upload-item");
    await page.locator('[data-testid="upload-item"][data-phase="ready"]').nth(199).waitFor({ timeout: 30_000 });
    assert.equal(await items.count(), 200);
    assert.deepEqual(
      [...new Set(await page.getByTestId("upload-action").allTextContents())],
      ["created"],
      "every file's own result",
    );
    assert.equal(await page.getByTestId("ingestion-failed").textContent(), "0");
    // Batches of 50, not one request per file: the ingest limit is charged per document all the same.
    const batches = await page.evaluate(
      () => performance.getEntriesByType("resource").filter((e) => /\/documents\/batch$/.test(e.name)).length,
    );
    assert.equal(batches, 4);
    console.log(`200 files through the dashboard: all ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // The same files again: each one unchanged, nothing queued.
    await page.getByLabel("Files").setInputFiles(files.slice(0, 5));
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByTestId("upload-action").filter({ hasText: "unchanged" }).nth(4).waitFor();
    assert.equal(await page.getByTestId("ingestion-queued").textContent(), "0");
    await page.close();
  });

  test("no page threw an uncaught error", () => {
    assert.deepEqual(dashboard.pageErrors, []);
  });
});
