// Web pages as a knowledge source: URLs and sitemaps queued by the fetch route, fetched by the
// queue handler, indexed with their source URL (documents, search citations), re-fetched
// conditionally (304 or the same bytes change nothing; new content is re-indexed), and re-fetched
// on schedule for knowledge bases that ask for it.
import { createScheduledController, env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import worker from "../../worker/index";
import type { KnowledgeBase } from "../../worker/knowledge/schemas";
import { expectStatus } from "./helpers/harness";
import { type Caller, createKb, getDocument, search, signedInUser } from "./knowledge.helpers";
import { fetchUrls, html, requests, runFetch, serveSite, site } from "./knowledge.urls.helpers";

let caller: Caller;
let kb: KnowledgeBase;

beforeAll(async () => {
  serveSite();
  caller = await signedInUser();
  kb = await createKb(caller, { name: "Web pages" });
});

const chunkIds = async (docId: string) =>
  (
    await env.DB.prepare("SELECT id FROM chunks WHERE document_id = ?1 ORDER BY seq").bind(docId).all<{ id: string }>()
  ).results.map((r) => r.id);

describe("adding pages by URL", () => {
  it("queues each URL as a document and indexes the fetched page with its source URL and title", async () => {
    site.set("https://docs.example.com/wings", html("Wing design", "Swept wings delay compressibility drag rise."));
    site.set("https://docs.example.com/tails", html("Tail design", "A T-tail keeps the stabiliser out of the wake."));
    const res = await fetchUrls(caller, kb.id, {
      urls: ["https://docs.example.com/wings", "https://docs.example.com/tails#top"],
      tags: ["web"],
    });
    expect(res.status).toBe(202);
    expect(res.body.refused).toEqual([]);
    expect(res.body.queued.map((q) => q.url)).toEqual([
      "https://docs.example.com/wings",
      "https://docs.example.com/tails",
    ]);
    const [wings, tails] = res.body.queued.map((q) => q.document_id) as [string, string];
    expect(await getDocument(caller, kb.id, wings)).toMatchObject({
      status: "queued",
      source_url: "https://docs.example.com/wings",
      checked_at: null,
    });

    await runFetch(caller, wings);
    await runFetch(caller, tails);
    const doc = await getDocument(caller, kb.id, wings);
    expect(doc).toMatchObject({
      status: "ready",
      name: "Wing design",
      content_type: "text/html",
      source_url: "https://docs.example.com/wings",
      tags: ["web"],
    });
    expect(doc.checked_at).not.toBeNull();
    expect(doc.chunk_count).toBeGreaterThan(0);

    const hits = await search(caller, kb.id, { query: "swept wings compressibility drag", mode: "lexical" });
    expect(hits.data[0]?.citation).toMatchObject({
      document_id: wings,
      document_name: "Wing design",
      source_url: "https://docs.example.com/wings",
    });
  });

  it("adding a URL the knowledge base already holds re-fetches that document instead of adding a second one", async () => {
    site.set("https://docs.example.com/flaps", html("Flaps", "Fowler flaps add area and camber."));
    const first = await fetchUrls(caller, kb.id, { urls: ["https://docs.example.com/flaps"] });
    const again = await fetchUrls(caller, kb.id, { urls: ["https://docs.example.com/flaps"] });
    expect(again.status).toBe(202);
    expect(again.body.queued[0]?.document_id).toBe(first.body.queued[0]?.document_id);
  });
});

describe("adding pages from a sitemap", () => {
  it("follows a sitemap index one level and queues every page it lists", async () => {
    const xml = (body: string) => () => new Response(body, { headers: { "Content-Type": "application/xml" } });
    site.set(
      "https://docs.example.com/sitemap.xml",
      xml(`<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>https://docs.example.com/sitemap-guides.xml</loc></sitemap></sitemapindex>`),
    );
    site.set(
      "https://docs.example.com/sitemap-guides.xml",
      xml(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>https://docs.example.com/guide/landing?a=1&amp;b=2</loc></url>
        <url><loc> https://docs.example.com/guide/takeoff </loc></url>
        <url><loc>https://intranet.corp/secret</loc></url></urlset>`),
    );
    site.set("https://docs.example.com/guide/landing?a=1&b=2", html("Landing", "Flare just above the runway."));
    site.set("https://docs.example.com/guide/takeoff", html("Takeoff", "Rotate at VR with smooth back pressure."));

    const res = await fetchUrls(caller, kb.id, { sitemap: "https://docs.example.com/sitemap.xml" });
    expect(res.status).toBe(202);
    expect(res.body.queued.map((q) => q.url)).toEqual([
      "https://docs.example.com/guide/landing?a=1&b=2",
      "https://docs.example.com/guide/takeoff",
    ]);
    expect(res.body.refused).toEqual([
      {
        url: "https://intranet.corp/secret",
        error: { code: "URL_NOT_ALLOWED", message: "intranet.corp is an internal name" },
      },
    ]);
    for (const q of res.body.queued) await runFetch(caller, q.document_id);
    const names = await Promise.all(
      res.body.queued.map(async (q) => (await getDocument(caller, kb.id, q.document_id)).name),
    );
    expect(names).toEqual(["Landing", "Takeoff"]);
  });
});

describe("re-fetching", () => {
  let docId: string;
  let version = 1;
  const page = "https://docs.example.com/limits";

  beforeAll(async () => {
    site.set(page, (req) =>
      req.headers.get("If-None-Match") === `"v${version}"`
        ? new Response(null, { status: 304 })
        : html("Limits", `Never exceed speed, edition ${version}.`, { ETag: `"v${version}"` })(),
    );
    const res = await fetchUrls(caller, kb.id, { urls: [page] });
    docId = res.body.queued[0]?.document_id as string;
    await runFetch(caller, docId);
  });

  const refetch = () =>
    expectStatus(202, "POST", `/api/knowledge-bases/${kb.id}/documents/${docId}/refetch`, { token: caller.token });

  it("sends the stored ETag, and a 304 changes nothing but checked_at", async () => {
    const before = await getDocument(caller, kb.id, docId);
    const chunks = await chunkIds(docId);
    await refetch();
    await new Promise((r) => setTimeout(r, 5));
    await runFetch(caller, docId, true);
    const sent = requests.filter((r) => r.url === page).at(-1);
    expect(sent?.headers.get("If-None-Match")).toBe('"v1"');
    const after = await getDocument(caller, kb.id, docId);
    expect(after).toMatchObject({ status: "ready", content_hash: before.content_hash, attempts: before.attempts });
    expect(Date.parse(after.checked_at as string)).toBeGreaterThan(Date.parse(before.checked_at as string));
    expect(await chunkIds(docId)).toEqual(chunks);
  });

  it("the same bytes without a 304 re-index nothing either", async () => {
    site.set("https://docs.example.com/same", html("Same", "Identical every time."));
    const res = await fetchUrls(caller, kb.id, { urls: ["https://docs.example.com/same"] });
    const id = res.body.queued[0]?.document_id as string;
    await runFetch(caller, id);
    const before = await getDocument(caller, kb.id, id);
    const chunks = await chunkIds(id);
    await runFetch(caller, id, true);
    const after = await getDocument(caller, kb.id, id);
    expect(after).toMatchObject({ status: "ready", content_hash: before.content_hash, attempts: before.attempts });
    expect(await chunkIds(id)).toEqual(chunks);
  });

  it("changed content is stored and indexed again, replacing the old chunks", async () => {
    const before = await getDocument(caller, kb.id, docId);
    version = 2;
    await runFetch(caller, docId, true);
    const after = await getDocument(caller, kb.id, docId);
    expect(after.status).toBe("ready");
    expect(after.content_hash).not.toBe(before.content_hash);
    const hits = await search(caller, kb.id, { query: "never exceed speed edition", mode: "lexical" });
    const mine = hits.data.filter((h) => h.citation.document_id === docId);
    expect(mine.map((h) => h.content).join(" ")).toContain("edition 2");
    expect(mine.map((h) => h.content).join(" ")).not.toContain("edition 1");
    // The page as fetched is the document's original: the new one downloads, the old one is gone.
    const original = await SELF.fetch(`http://localhost/api/knowledge-bases/${kb.id}/documents/${docId}/original`, {
      headers: { Authorization: `Bearer ${caller.token}` },
    });
    expect(original.status).toBe(200);
    expect(original.headers.get("ETag")).toBe(`"${after.content_hash}"`);
    expect(await original.text()).toContain("edition 2");
    const stored = await env.ORIGINALS.list({ prefix: `ws/${caller.workspaceId}/kb/${kb.id}/doc/${docId}/` });
    expect(stored.objects.map((o) => o.key.split("/").at(-1))).toEqual([after.content_hash]);
  });

  it("refuses to re-fetch an uploaded document", async () => {
    const up = await expectStatus<{ id: string }>(202, "POST", `/api/knowledge-bases/${kb.id}/documents`, {
      token: caller.token,
      body: { name: "notes.txt", content: "uploaded, not fetched" },
    });
    const res = await expectStatus<{ error: { code: string } }>(
      422,
      "POST",
      `/api/knowledge-bases/${kb.id}/documents/${up.id}/refetch`,
      { token: caller.token },
    );
    expect(res.error.code).toBe("UNPROCESSABLE");
  });
});

describe("scheduled re-fetch", () => {
  it("queues a conditional re-fetch of every page last checked longer ago than its knowledge base's interval", async () => {
    const timed = await createKb(caller, { name: "Hourly", refetch_interval_hours: 1 });
    expect(timed.refetch_interval_hours).toBe(1);
    site.set("https://docs.example.com/hourly", html("Hourly", "Checked every hour."));
    const res = await fetchUrls(caller, timed.id, { urls: ["https://docs.example.com/hourly"] });
    const id = res.body.queued[0]?.document_id as string;
    await runFetch(caller, id);

    const sent = vi.spyOn(env.INGEST_QUEUE, "sendBatch");
    const run = (at: number) =>
      worker.scheduled(createScheduledController({ scheduledTime: at, cron: "0 * * * *" }), env);
    const mine = () =>
      sent.mock.calls
        .flatMap(([batch]) => [...batch].map((m) => m.body))
        .filter((b) => (b as { documentId: string }).documentId === id);
    await run(Date.now());
    expect(mine()).toEqual([]);
    await run(Date.now() + 2 * 3_600_000);
    expect(mine()).toEqual([expect.objectContaining({ type: "fetch_document", documentId: id, refetch: true })]);
    sent.mockRestore();
  });
});
