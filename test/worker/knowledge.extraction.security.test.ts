// Issue 14, item 13: turning an upload into text is bounded. A PDF over the page limit, a
// document whose text runs past the character limit, and a PDF still being read when the time
// budget is spent are refused with the 422 envelope naming the limit, and nothing is stored.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import type { DocumentPage } from "../../worker/knowledge/schemas";
import { BASE, type ErrorBody, expectStatus } from "./helpers/harness";
import { makePdfPages } from "./knowledge.fixtures";
import {
  type Caller,
  createKb,
  ingest,
  search,
  signedInUser,
  uploadJson,
  uploadMultipart,
  uploadText,
} from "./knowledge.helpers";

const base64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
const pdfBody = (name: string, bytes: Uint8Array) => ({
  name,
  content_type: "application/pdf",
  content: base64(bytes),
  content_encoding: "base64",
});
const pages = (n: number, linesPerPage = 1) =>
  Array.from({ length: n }, (_, i) =>
    Array.from(
      { length: linesPerPage },
      (_, l) => `Boundary layer notes, page ${i + 1}, line ${l + 1}: transition and separation.`,
    ),
  );

let me: Caller;
let kbId: string;

beforeAll(async () => {
  me = await signedInUser();
  kbId = (await createKb(me, { name: "Limits" })).id;
});

/** The upload through the same app with other configuration values, as a deployment would set them. */
async function uploadWith(vars: Record<string, string>, body: Record<string, unknown>) {
  const ctx = createExecutionContext();
  const res = await createApp().request(
    `${BASE}/api/knowledge-bases/${kbId}/documents`,
    {
      method: "POST",
      headers: { Authorization: `Bearer ${me.token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    },
    { ...env, ...vars },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: await res.json<ErrorBody & { id?: string }>() };
}

async function storedNames(): Promise<string[]> {
  const page = await expectStatus<DocumentPage>(200, "GET", `/api/knowledge-bases/${kbId}/documents?limit=100`, {
    token: me.token,
  });
  return page.data.map((d) => d.name);
}

function expectLimit(res: { status: number; body: ErrorBody }, limit: string, configKey: string, max: number) {
  expect(res.status).toBe(422);
  expect(res.body.error).toMatchObject({ code: "UNPROCESSABLE", details: { limit, config_key: configKey, max } });
  // The message names the limit in words with its value (it once printed the function that words it).
  expect(res.body.error.message).toMatch(new RegExp(`^The document takes more than ${max}\\b.*; it was not stored$`));
  expect(res.body.error.request_id).toMatch(/^req_/);
}

/**
 * Uploads the PDF `name` of `pdfPages` with `configKey` set to `max`, expects the refusal naming
 * that limit and nothing stored, and returns how far the reading got (the error's details).
 */
async function expectStopped(configKey: string, max: number, limit: string, name: string, pdfPages: string[][]) {
  const res = await uploadWith({ [configKey]: String(max) }, pdfBody(name, makePdfPages(pdfPages)));
  expectLimit(res, limit, configKey, max);
  expect(await storedNames()).not.toContain(name);
  return res.body.error.details as Record<string, number>;
}

// The first PDF in a file loads pdf.js (1.6 MB), which takes seconds on a busy machine.
const PDF_TIMEOUT = 30_000;

describe("PDF extraction limits", () => {
  it(
    "refuses a PDF over the default page limit (1,000) before reading its pages, and stores nothing",
    async () => {
      const res = await uploadMultipart(me, kbId, {
        name: "tome.pdf",
        type: "application/pdf",
        bytes: makePdfPages(pages(1_001)),
      });
      expectLimit(res as unknown as { status: number; body: ErrorBody }, "pages", "KNOWLEDGE_PDF_MAX_PAGES", 1_000);
      expect((res.body as unknown as ErrorBody).error.details).toMatchObject({ pages: 1_001 });
      expect(await storedNames()).not.toContain("tome.pdf");
    },
    PDF_TIMEOUT,
  );

  it(
    "follows KNOWLEDGE_PDF_MAX_PAGES: a PDF at the limit is accepted, one page more is refused",
    async () => {
      const vars = { KNOWLEDGE_PDF_MAX_PAGES: "5" };
      const atLimit = await uploadWith(vars, pdfBody("five.pdf", makePdfPages(pages(5))));
      expect(atLimit.status, JSON.stringify(atLimit.body)).toBe(202);
      const over = await uploadWith(vars, pdfBody("six.pdf", makePdfPages(pages(6))));
      expectLimit(over, "pages", "KNOWLEDGE_PDF_MAX_PAGES", 5);
      expect(await storedNames()).toEqual(expect.arrayContaining(["five.pdf"]));
      expect(await storedNames()).not.toContain("six.pdf");
    },
    PDF_TIMEOUT,
  );

  it(
    "stops reading a PDF once its text passes KNOWLEDGE_MAX_EXTRACTED_CHARS",
    async () => {
      // About 600 characters a page: the limit is crossed on the fourth page.
      const details = await expectStopped(
        "KNOWLEDGE_MAX_EXTRACTED_CHARS",
        2000,
        "characters",
        "wordy.pdf",
        pages(40, 8),
      );
      // It stopped at the page that crossed the limit instead of reading all 40.
      expect(details.pages_read).toBeLessThan(6);
      expect(details.characters_read).toBeGreaterThan(2000);
    },
    PDF_TIMEOUT,
  );

  it(
    "stops reading a PDF when KNOWLEDGE_EXTRACT_TIME_BUDGET_MS is spent",
    async () => {
      const details = await expectStopped("KNOWLEDGE_EXTRACT_TIME_BUDGET_MS", 1, "time", "slow.pdf", pages(300));
      expect(details.pages_read).toBeLessThan(300);
      expect(details.elapsed_ms).toBeGreaterThan(1);
    },
    PDF_TIMEOUT,
  );
});

describe("extracted text limit for other formats", () => {
  it("refuses JSON whose extracted text outgrows KNOWLEDGE_MAX_EXTRACTED_CHARS, though its bytes are under the upload limit", async () => {
    // Every leaf repeats its full key path in the text, so the text is larger than the upload.
    const key = "k".repeat(60);
    let nested: unknown = Array.from({ length: 2_000 }, (_, i) => ({ v: i }));
    for (let depth = 0; depth < 20; depth++) nested = { [key]: nested };
    const content = JSON.stringify(nested);
    const res = await uploadWith(
      { KNOWLEDGE_MAX_EXTRACTED_CHARS: "30000" },
      { name: "paths.json", content_type: "application/json", content },
    );
    expect(content.length).toBeLessThan(30_000);
    expectLimit(res, "characters", "KNOWLEDGE_MAX_EXTRACTED_CHARS", 30_000);
    // It stopped at the line that crossed the limit, not after writing megabytes of paths.
    expect(res.body.error.details.characters_read).toBeGreaterThan(30_000);
    expect(res.body.error.details.characters_read).toBeLessThan(32_000);
    expect(await storedNames()).not.toContain("paths.json");
  });

  it("still accepts text under the default limit", async () => {
    const res = await uploadJson(me, kbId, { name: "ok.txt", content: "Wing section data. ".repeat(1000) });
    expect(res.status).toBe(202);
  });
});

describe("invisible characters", () => {
  it("strips zero-width characters (the joiner too) and control codes from what is stored and served", async () => {
    // Invisible characters hide words from keyword search and smuggle text past reviewers.
    const raw = "Shock\u200D wave trans\u200Bition at the lead\u2060ing edge\uFEFF of a ZWNJ\u200C wing\u0007.";
    const doc = await uploadText(me, kbId, "invisible.txt", raw);
    await ingest(me, doc.id);
    const filters = { document_ids: [doc.id] };
    const res = await search(me, kbId, { query: "transition leading edge", mode: "lexical", filters });
    expect(res.data[0]?.content).toBe("Shock wave transition at the leading edge of a ZWNJ wing.");
  });
});
