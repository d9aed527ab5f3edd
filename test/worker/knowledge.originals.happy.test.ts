// Originals in R2: every upload is kept as it came and downloads with its type, name and hash;
// deleting or replacing a document and deleting a knowledge base leave no objects behind; a
// re-index extracts the text again from the original.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeDocument } from "../../worker/knowledge/schemas";
import { api, BASE, type ErrorBody, expectStatus } from "./helpers/harness";
import { type Caller, createKb, ingest, signedInUser, uploadMultipart, uploadText } from "./knowledge.helpers";

let caller: Caller;
beforeAll(async () => {
  caller = await signedInUser();
});

async function keys(prefix: string): Promise<string[]> {
  return (await env.ORIGINALS.list({ prefix })).objects.map((o) => o.key);
}

const sha256 = async (bytes: Uint8Array) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

function download(kbId: string, docId: string, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${BASE}/api/knowledge-bases/${kbId}/documents/${docId}/original`, {
    headers: { Authorization: `Bearer ${caller.token}`, ...headers },
  });
}

describe("downloading an original", () => {
  it("returns the uploaded bytes with their type, an attachment name, nosniff and the content hash as ETag", async () => {
    const kb = await createKb(caller);
    // Not a PDF: under a loaded machine pdf.js's first parse can pass KNOWLEDGE_EXTRACT_TIME_BUDGET_MS.
    const bytes = new TextEncoder().encode('{\n  "test": "Boundary layer transition on swept wings"\n}\n');
    const res = await uploadMultipart(caller, kb.id, {
      name: "Rapport d'essai n°3.json",
      type: "application/json",
      bytes,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const doc = res.body;
    const hash = await sha256(bytes);
    expect(await keys(`ws/${caller.workspaceId}/kb/${kb.id}/`)).toEqual([
      `ws/${caller.workspaceId}/kb/${kb.id}/doc/${doc.id}/${hash}`,
    ]);

    const got = await download(kb.id, doc.id);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
    expect(got.headers.get("Content-Type")).toBe("application/json");
    expect(got.headers.get("Content-Disposition")).toBe(
      `attachment; filename="Rapport d_essai n_3.json"; filename*=UTF-8''Rapport%20d%27essai%20n%C2%B03.json`,
    );
    expect(got.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(got.headers.get("ETag")).toBe(`"${hash}"`);

    const again = await download(kb.id, doc.id, { "If-None-Match": `"${hash}"` });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  }, 30_000);

  it("answers 404 with the envelope for a document stored before originals were kept", async () => {
    const kb = await createKb(caller);
    const doc = await uploadText(caller, kb.id, "legacy.txt", "Stall hysteresis on a pitching aerofoil.");
    await env.ORIGINALS.delete(await keys(`ws/${caller.workspaceId}/kb/${kb.id}/doc/${doc.id}/`));
    const res = await api<ErrorBody>("GET", `/api/knowledge-bases/${kb.id}/documents/${doc.id}/original`, {
      token: caller.token,
    });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "NOT_FOUND", details: { document_id: doc.id } });
    // Knowing the hash (every document lists it) does not turn a missing original into a 304.
    const conditional = await download(kb.id, doc.id, { "If-None-Match": `"${doc.content_hash}"` });
    expect(conditional.status).toBe(404);
    await conditional.arrayBuffer();
  });
});

describe("lifecycle of originals", () => {
  it("replacing a document's content stores the new original and removes the old one", async () => {
    const kb = await createKb(caller);
    const first = await uploadText(caller, kb.id, "notes.txt", "First draft about wing flutter.");
    const second = await uploadText(caller, kb.id, "notes.txt", "Second draft about wing flutter and divergence.");
    expect(second.id).toBe(first.id);
    expect(second.action).toBe("replaced");
    const third = "Third draft: control reversal.";
    const put = await api("PUT", `/api/knowledge-bases/${kb.id}/documents/${first.id}`, {
      token: caller.token,
      body: { name: "notes.txt", content: third },
    });
    expect(put.status).toBe(202);
    const hash = await sha256(new TextEncoder().encode(third));
    expect(await keys(`ws/${caller.workspaceId}/kb/${kb.id}/`)).toEqual([
      `ws/${caller.workspaceId}/kb/${kb.id}/doc/${first.id}/${hash}`,
    ]);
    expect(await (await download(kb.id, first.id)).text()).toBe(third);
  });

  it("deleting a document deletes its originals; deleting a knowledge base deletes all of them", async () => {
    const kb = await createKb(caller);
    const keep = await createKb(caller, { name: "Kept" });
    const docs = [];
    for (let i = 0; i < 5; i++)
      docs.push(await uploadText(caller, kb.id, `part-${i}.md`, `# Part ${i}\nVortex lift ${i}.`));
    const kept = await uploadText(caller, keep.id, "kept.md", "# Kept\nUntouched by the other deletes.");
    const doc0 = docs[0] as KnowledgeDocument;
    // An orphan left by an interrupted replacement goes with its document too.
    await env.ORIGINALS.put(`ws/${caller.workspaceId}/kb/${kb.id}/doc/${doc0.id}/stale`, "old bytes");

    await expectStatus(204, "DELETE", `/api/knowledge-bases/${kb.id}/documents/${doc0.id}`, { token: caller.token });
    expect(await keys(`ws/${caller.workspaceId}/kb/${kb.id}/doc/${doc0.id}/`)).toEqual([]);
    expect(await keys(`ws/${caller.workspaceId}/kb/${kb.id}/`)).toHaveLength(4);

    await expectStatus(204, "DELETE", `/api/knowledge-bases/${kb.id}`, { token: caller.token });
    expect(await keys(`ws/${caller.workspaceId}/kb/${kb.id}/`)).toEqual([]);
    expect(await keys(`ws/${caller.workspaceId}/kb/${keep.id}/doc/${kept.id}/`)).toHaveLength(1);
  });

  it("deleting a knowledge base removes more originals than one list page holds", async () => {
    const kb = await createKb(caller);
    const prefix = `ws/${caller.workspaceId}/kb/${kb.id}/doc/`;
    await Promise.all(Array.from({ length: 1001 }, (_, i) => env.ORIGINALS.put(`${prefix}doc_bulk${i}/h`, "x")));
    await expectStatus(204, "DELETE", `/api/knowledge-bases/${kb.id}`, { token: caller.token });
    expect(await keys(prefix)).toEqual([]);
  }, 30_000);
});

describe("re-indexing from originals", () => {
  const tamper = (docId: string, text: string) =>
    env.DB.prepare("UPDATE document_texts SET content = ? WHERE document_id = ?").bind(text, docId).run();
  const chunkText = async (docId: string) =>
    (
      await env.DB.prepare("SELECT content FROM chunks WHERE document_id = ? ORDER BY seq")
        .bind(docId)
        .all<{ content: string }>()
    ).results
      .map((r) => r.content)
      .join(" ");

  it("a chunk-size change extracts the text again from the original; documents without one fall back to the stored text", async () => {
    const kb = await createKb(caller, { chunk_size: 200, chunk_overlap: 20 });
    const html =
      "<html><body><h1>Delta wings</h1><p>Leading-edge vortices give lift at high angles of attack.</p></body></html>";
    const fromHtml = await uploadMultipart(caller, kb.id, { name: "delta.html", type: "text/html", bytes: html });
    const json = JSON.stringify({ finding: "Shock buffet on transonic wings" });
    const fromJson = await uploadMultipart(caller, kb.id, {
      name: "buffet.json",
      type: "application/json",
      bytes: json,
    });
    const legacy = await uploadText(caller, kb.id, "legacy.txt", "Propeller slipstream effects on the tailplane.");
    const ids = [fromHtml.body.id, fromJson.body.id, legacy.id];
    for (const id of ids) await ingest(caller, id);
    for (const id of ids) await tamper(id, "Tampered stored text that no original contains.");
    await env.ORIGINALS.delete(await keys(`ws/${caller.workspaceId}/kb/${kb.id}/doc/${legacy.id}/`));

    await expectStatus(200, "PATCH", `/api/knowledge-bases/${kb.id}`, {
      token: caller.token,
      body: { chunk_size: 300 },
    });
    for (const id of ids) await ingest(caller, id);

    const html2 = await chunkText(fromHtml.body.id);
    expect(html2).toContain("Leading-edge vortices give lift");
    expect(html2).not.toContain("Tampered");
    expect(await chunkText(fromJson.body.id)).toContain("Shock buffet on transonic wings");
    expect(await chunkText(legacy.id)).toContain("Tampered stored text");
    // The stored text follows the original again, so citation offsets point into what was chunked.
    const doc = await expectStatus<KnowledgeDocument & { text: string }>(
      200,
      "GET",
      `/api/knowledge-bases/${kb.id}/documents/${fromHtml.body.id}?include_text=true`,
      { token: caller.token },
    );
    expect(doc.text).toContain("Leading-edge vortices");
    expect(doc).toMatchObject({ status: "ready", char_count: doc.text.length });
  }, 30_000);
});
