import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { DocumentPage, KnowledgeBase, KnowledgeBasePage, UploadResult } from "../../worker/knowledge/schemas";
import { api, expectStatus } from "./helpers/harness";
import { makePdf } from "./knowledge.fixtures";
import {
  type Caller,
  createKb,
  documentText,
  getDocument,
  ingest,
  search,
  signedInUser,
  uploadJson,
  uploadMultipart,
  uploadText,
} from "./knowledge.helpers";

let me: Caller;
beforeAll(async () => {
  me = await signedInUser();
});

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

describe("knowledge bases", () => {
  it("are created with chunking settings and the deployment's embedder, listed with cursor pagination, read, renamed and deleted", async () => {
    const caller = await signedInUser();
    const created = await createKb(caller, {
      name: "Wings",
      description: "Lift and drag",
      chunk_size: 256,
      chunk_overlap: 32,
    });
    expect(created).toMatchObject({
      name: "Wings",
      description: "Lift and drag",
      chunk_size: 256,
      chunk_overlap: 32,
      embedding_model: "local-hash-v1",
      document_count: 0,
      chunk_count: 0,
    });
    const defaults = await createKb(caller, { name: "Defaults" });
    expect(defaults).toMatchObject({ chunk_size: 400, chunk_overlap: 60 });
    await createKb(caller, { name: "Third" });

    const first = await expectStatus<KnowledgeBasePage>(200, "GET", "/api/knowledge-bases?limit=2", {
      token: caller.token,
    });
    expect(first.data).toHaveLength(2);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await expectStatus<KnowledgeBasePage>(
      200,
      "GET",
      `/api/knowledge-bases?limit=2&cursor=${first.next_cursor}`,
      { token: caller.token },
    );
    expect(second.data).toHaveLength(1);
    expect(second.next_cursor).toBeNull();
    expect(new Set([...first.data, ...second.data].map((k) => k.id)).size).toBe(3);

    const renamed = await expectStatus<KnowledgeBase>(200, "PATCH", `/api/knowledge-bases/${created.id}`, {
      token: caller.token,
      body: { name: "Wings and tails" },
    });
    expect(renamed).toMatchObject({ id: created.id, name: "Wings and tails", chunk_size: 256 });
    expect(
      (await expectStatus<KnowledgeBase>(200, "GET", `/api/knowledge-bases/${created.id}`, { token: caller.token }))
        .name,
    ).toBe("Wings and tails");

    await expectStatus(204, "DELETE", `/api/knowledge-bases/${created.id}`, { token: caller.token });
    expect((await api("GET", `/api/knowledge-bases/${created.id}`, { token: caller.token })).status).toBe(404);
  });
});

describe("uploads in every supported format", () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await createKb(me, { name: "Formats" });
  });

  it("accepts text, Markdown, HTML, JSON and PDF (inline and multipart), queues each, and ingests it into ready chunks", async () => {
    const pdf = makePdf(["Supersonic flutter of thin panels", "was measured in a wind tunnel."]);
    const uploads: UploadResult[] = [
      await uploadText(me, kb.id, "notes.txt", "Plain notes about boundary layer suction on swept wings.", {
        tags: ["notes"],
      }),
      await uploadText(
        me,
        kb.id,
        "guide.md",
        "# Guide\n\nStall begins at the wing tip.\n\n```py\nprint('lift')\n```\n",
        { content_type: "text/markdown" },
      ),
      await uploadText(
        me,
        kb.id,
        "page.html",
        "<html><head><title>Page</title><style>p{}</style></head><body><h2>Shock waves</h2><p>Oblique shocks &amp; expansion fans.</p><script>alert(1)</script></body></html>",
        { content_type: "text/html" },
      ),
      await uploadText(
        me,
        kb.id,
        "data.json",
        JSON.stringify([
          { title: "Flutter", mach: 2.5 },
          { title: "Buffet", tags: ["a", "b"] },
        ]),
      ),
      (
        await uploadJson(me, kb.id, {
          name: "panel.pdf",
          content_type: "application/pdf",
          content: base64(pdf),
          content_encoding: "base64",
        })
      ).body,
      (
        await uploadMultipart(
          me,
          kb.id,
          {
            name: "tunnel.pdf",
            type: "application/pdf",
            bytes: makePdf(["Transonic tunnel wall interference corrections."]),
          },
          { tags: "tunnel, pdf" },
        )
      ).body,
      (
        await uploadMultipart(me, kb.id, {
          name: "upload.md",
          type: "application/octet-stream",
          bytes: "# From a file\n\nMultipart body text.",
        })
      ).body,
    ];
    for (const u of uploads) {
      expect(u).toMatchObject({ action: "created", status: "queued", progress: 0, chunk_count: 0 });
      expect(u.content_hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(uploads.map((u) => u.content_type)).toEqual([
      "text/plain",
      "text/markdown",
      "text/html",
      "application/json",
      "application/pdf",
      "application/pdf",
      "text/markdown",
    ]);
    expect(uploads[5]?.tags).toEqual(["tunnel", "pdf"]);

    for (const u of uploads) await ingest(me, u.id);
    for (const u of uploads) {
      const doc = await getDocument(me, kb.id, u.id);
      expect(doc).toMatchObject({ status: "ready", progress: 1, error: null });
      expect(doc.chunk_count).toBeGreaterThan(0);
    }

    const text = (id: string) => documentText(me, kb.id, id);
    expect(await text(uploads[2]?.id ?? "")).toBe("# Page\n\n## Shock waves\n\nOblique shocks & expansion fans.");
    expect(await text(uploads[3]?.id ?? "")).toBe("title: Flutter\nmach: 2.5\n\ntitle: Buffet\ntags: a, b");
    expect(await text(uploads[4]?.id ?? "")).toContain("Supersonic flutter of thin panels");

    const hits = await search(me, kb.id, { query: "flutter of thin panels", top_k: 3 });
    expect(hits.data[0]?.citation.document_name).toBe("panel.pdf");
    const kbNow = await expectStatus<KnowledgeBase>(200, "GET", `/api/knowledge-bases/${kb.id}`, {
      token: me.token,
      headers: { "Cache-Control": "no-cache" },
    });
    expect(kbNow.document_count).toBe(7);
    expect(kbNow.chunk_count).toBeGreaterThanOrEqual(7);
  }, 30_000);

  it("lists documents newest first with cursor pagination and a status filter", async () => {
    const caller = await signedInUser();
    const k = await createKb(caller);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await uploadText(caller, k.id, `d${i}.txt`, `Document number ${i} about wings.`)).id);
    await ingest(caller, ids[0] ?? "");
    const page1 = await expectStatus<DocumentPage>(200, "GET", `/api/knowledge-bases/${k.id}/documents?limit=2`, {
      token: caller.token,
    });
    const page2 = await expectStatus<DocumentPage>(
      200,
      "GET",
      `/api/knowledge-bases/${k.id}/documents?limit=2&cursor=${page1.next_cursor}`,
      { token: caller.token },
    );
    expect([...page1.data, ...page2.data].map((d) => d.id)).toEqual([...ids].reverse());
    expect(page2.next_cursor).toBeNull();
    // The real queue consumer may have finished the others meanwhile; the filter must hold either way.
    const ready = await expectStatus<DocumentPage>(200, "GET", `/api/knowledge-bases/${k.id}/documents?status=ready`, {
      token: caller.token,
    });
    expect(ready.data.map((d) => d.id)).toContain(ids[0]);
    expect(ready.data.every((d) => d.status === "ready")).toBe(true);
    const failed = await expectStatus<DocumentPage>(
      200,
      "GET",
      `/api/knowledge-bases/${k.id}/documents?status=failed`,
      { token: caller.token },
    );
    expect(failed.data).toEqual([]);
  });
});

describe("duplicates and replacement", () => {
  it("answers 409 with the existing document's id for the same content, and re-indexes that document when asked to replace", async () => {
    const kb = await createKb(me, { name: "Dupes" });
    const first = await uploadText(me, kb.id, "a.txt", "Identical content about jet noise.");
    await ingest(me, first.id);
    const again = await uploadJson(me, kb.id, { name: "b.txt", content: "Identical content about jet noise." });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: "CONFLICT", details: { existing_document_id: first.id } } });
    const replaced = await uploadJson(me, kb.id, {
      name: "b.txt",
      content: "Identical content about jet noise.",
      replace: true,
      tags: ["x"],
    });
    expect(replaced.status).toBe(202);
    expect(replaced.body).toMatchObject({
      id: first.id,
      name: "b.txt",
      tags: ["x"],
      action: "reprocessed",
      status: "queued",
    });
    await ingest(me, first.id);
    expect(await getDocument(me, kb.id, first.id)).toMatchObject({ status: "ready", name: "b.txt" });
    const count = await env.DB.prepare("SELECT count(*) AS n FROM documents WHERE knowledge_base_id = ?")
      .bind(kb.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it("replaces a document uploaded again under the same name: same id, only the new chunks remain in D1, FTS and the vector index", async () => {
    const kb = await createKb(me, { name: "Versions", chunk_size: 64, chunk_overlap: 8 });
    const v1 = await uploadText(me, kb.id, "report.txt", "Alpha version text about hypersonic inlets. ".repeat(20));
    await ingest(me, v1.id);
    const before = await getDocument(me, kb.id, v1.id);
    const v2 = await uploadText(me, kb.id, "report.txt", "Bravo revision covering ablation of heat shields.");
    expect(v2).toMatchObject({ id: v1.id, action: "replaced", status: "queued" });
    await ingest(me, v1.id);
    const after = await getDocument(me, kb.id, v1.id);
    expect(after).toMatchObject({ status: "ready", chunk_count: 1 });
    expect(before.chunk_count).toBeGreaterThan(1);
    expect((await search(me, kb.id, { query: "hypersonic inlets alpha", mode: "lexical" })).data).toEqual([]);
    expect((await search(me, kb.id, { query: "ablation heat shields" })).data[0]?.citation.document_id).toBe(v1.id);
    const rows = await env.DB.prepare("SELECT content FROM chunks WHERE document_id = ?")
      .bind(v1.id)
      .all<{ content: string }>();
    expect(rows.results.map((r) => r.content)).toEqual(["Bravo revision covering ablation of heat shields."]);
    expect((await env.VECTOR_INDEX.getByName(kb.id).describe()).count).toBe(1);
  });

  it("replaces content by id with PUT, and treats the same content again as unchanged", async () => {
    const kb = await createKb(me, { name: "Put" });
    const doc = await uploadText(me, kb.id, "spec.md", "# Spec\n\nOld requirements.");
    await ingest(me, doc.id);
    const put = await expectStatus<UploadResult>(202, "PUT", `/api/knowledge-bases/${kb.id}/documents/${doc.id}`, {
      token: me.token,
      body: { name: "spec.md", content: "# Spec\n\nNew requirements for the nozzle." },
    });
    expect(put).toMatchObject({ id: doc.id, action: "replaced" });
    await ingest(me, doc.id);
    const same = await expectStatus<UploadResult>(200, "PUT", `/api/knowledge-bases/${kb.id}/documents/${doc.id}`, {
      token: me.token,
      body: { name: "spec.md", content: "# Spec\n\nNew requirements for the nozzle." },
    });
    expect(same).toMatchObject({ action: "unchanged", status: "ready" });
    const retagged = await expectStatus<UploadResult>(202, "PUT", `/api/knowledge-bases/${kb.id}/documents/${doc.id}`, {
      token: me.token,
      body: { name: "spec.md", content: "# Spec\n\nNew requirements for the nozzle.", tags: ["nozzle"] },
    });
    expect(retagged).toMatchObject({ action: "reprocessed", tags: ["nozzle"], status: "queued" });
    await ingest(me, doc.id);
    const multipart = await uploadMultipart(
      me,
      kb.id,
      { name: "spec.md", type: "text/markdown", bytes: "# Spec\n\nThird version." },
      {},
      { method: "PUT", docId: doc.id },
    );
    expect(multipart.status).toBe(202);
    expect(multipart.body).toMatchObject({ id: doc.id, action: "replaced" });
  });

  it("chunks every document again when the knowledge base's chunk size changes", async () => {
    const kb = await createKb(me, { name: "Rechunk", chunk_size: 400, chunk_overlap: 40 });
    const doc = await uploadText(
      me,
      kb.id,
      "long.txt",
      "Vortex shedding behind a circular cylinder produces periodic lift. ".repeat(40),
    );
    await ingest(me, doc.id);
    const coarse = (await getDocument(me, kb.id, doc.id)).chunk_count;
    const updated = await expectStatus<KnowledgeBase>(200, "PATCH", `/api/knowledge-bases/${kb.id}`, {
      token: me.token,
      body: { chunk_size: 100, chunk_overlap: 10 },
    });
    expect(updated).toMatchObject({ chunk_size: 100, chunk_overlap: 10 });
    // Requeued: the real queue consumer may already be on it, so only "not the old ready" is stable.
    const requeued = await getDocument(me, kb.id, doc.id);
    expect(requeued.status === "ready" && requeued.chunk_count === coarse).toBe(false);
    await ingest(me, doc.id);
    const fine = await getDocument(me, kb.id, doc.id);
    expect(fine.status).toBe("ready");
    expect(fine.chunk_count).toBeGreaterThan(coarse * 3);
    expect((await env.VECTOR_INDEX.getByName(kb.id).describe()).count).toBe(fine.chunk_count);
  });
});
