import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LocalEmbedder } from "../../worker/core/providers/local-embedder";
import { clearProviderOverrides, setProviderOverrides } from "../../worker/core/providers/overrides";
import { handleDeadLetters } from "../../worker/knowledge/dead-letters";
import { PAUSED_RECHECK_SECONDS } from "../../worker/knowledge/ingest";
import type { KnowledgeBase } from "../../worker/knowledge/schemas";
import { adminToken, api, expectStatus } from "./helpers/harness";
import {
  type Caller,
  createKb,
  footprint,
  getDocument,
  ingest,
  search,
  signedInUser,
  uploadText,
} from "./knowledge.helpers";

let me: Caller;
beforeAll(async () => {
  me = await signedInUser();
});
afterEach(() => {
  clearProviderOverrides();
  vi.restoreAllMocks();
});

const LONG = Array.from(
  { length: 60 },
  (_, i) => `Paragraph ${i} on the quasiturbulent wake behind bluff bodies at Reynolds number ${i * 1000}.`,
).join("\n\n");

async function chunkRows(documentId: string) {
  const rows = await env.DB.prepare(
    "SELECT id, seq, content, start_offset, end_offset FROM chunks WHERE document_id = ? ORDER BY seq",
  )
    .bind(documentId)
    .all();
  return rows.results;
}

async function ftsIntact() {
  // FTS5 compares its index with the chunks table and throws on any difference.
  await env.DB.prepare("INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')").run();
}

describe("redelivery", () => {
  it("processing the same message twice (one after the other, or at once) yields the same chunks and vectors, with no duplicates", async () => {
    const kb = await createKb(me, { name: "Idempotent", chunk_size: 80, chunk_overlap: 10 });
    const doc = await uploadText(me, kb.id, "wake.txt", LONG);
    await ingest(me, doc.id);
    const first = await chunkRows(doc.id);
    const vectorsFirst = await env.VECTOR_INDEX.getByName(kb.id).describe();
    expect(first.length).toBeGreaterThan(5);
    expect(vectorsFirst.count).toBe(first.length);

    await ingest(me, doc.id, 2);
    // Force full reprocessing too, as if the first run had died before marking the document ready.
    await env.DB.prepare("UPDATE documents SET status = 'processing' WHERE id = ?").bind(doc.id).run();
    await Promise.all([ingest(me, doc.id, 2), ingest(me, doc.id, 3)]);

    expect(await chunkRows(doc.id)).toEqual(first);
    expect((await env.VECTOR_INDEX.getByName(kb.id).describe()).count).toBe(first.length);
    const fts = await env.DB.prepare(
      "SELECT count(*) AS n FROM chunks_fts WHERE chunks_fts MATCH '\"quasiturbulent\"'",
    ).first<{ n: number }>();
    expect(fts?.n).toBe(first.length);
    await ftsIntact();
    expect(await getDocument(me, kb.id, doc.id)).toMatchObject({ status: "ready", chunk_count: first.length });
  });

  it("a run that loses a race with a replacement changes nothing in D1 and removes the vectors it wrote", async () => {
    const kb = await createKb(me, { name: "Race", chunk_size: 64, chunk_overlap: 8 });
    const doc = await uploadText(me, kb.id, "race.txt", "Original text about compressor stall margins. ".repeat(30));
    const local = new LocalEmbedder();
    let replaced = false;
    setProviderOverrides({
      embedder: {
        model: local.model,
        dimensions: local.dimensions,
        async embed(texts) {
          if (!replaced) {
            replaced = true;
            // The user replaces the document while this run is embedding the old content.
            await expectStatus(202, "PUT", `/api/knowledge-bases/${kb.id}/documents/${doc.id}`, {
              token: me.token,
              body: { name: "race.txt", content: "Replacement about surge lines." },
            });
          }
          return local.embed(texts);
        },
      },
    });
    await ingest(me, doc.id);
    expect(await chunkRows(doc.id)).toEqual([]);
    expect((await env.VECTOR_INDEX.getByName(kb.id).describe()).count).toBe(0);
    await ingest(me, doc.id);
    const rows = await chunkRows(doc.id);
    expect(rows.map((r) => r.content)).toEqual(["Replacement about surge lines."]);
    expect((await env.VECTOR_INDEX.getByName(kb.id).describe()).count).toBe(1);
  });
});

describe("deletion leaves no orphans", () => {
  it("deleting a document removes its chunks, text, FTS entries and vectors, and nothing of its neighbours", async () => {
    const kb = await createKb(me, { name: "Delete doc", chunk_size: 64, chunk_overlap: 8 });
    const gone = await uploadText(me, kb.id, "gone.txt", "Xylophonic resonance of panel modes. ".repeat(40));
    const kept = await uploadText(me, kb.id, "kept.txt", "Zeppelin envelope pressure under gusts. ".repeat(10));
    await ingest(me, gone.id);
    await ingest(me, kept.id);
    const before = await footprint(kb.id, gone.id, "xylophonic");
    expect(before.chunks).toBeGreaterThan(1);
    expect(before.fts).toBe(before.chunks);
    const keptBefore = await footprint(kb.id, kept.id, "zeppelin");

    await expectStatus(204, "DELETE", `/api/knowledge-bases/${kb.id}/documents/${gone.id}`, { token: me.token });
    const after = await footprint(kb.id, gone.id, "xylophonic");
    expect(after).toEqual({ chunks: 0, texts: 0, fts: 0, vectors: keptBefore.chunks });
    expect(await footprint(kb.id, kept.id, "zeppelin")).toEqual({ ...keptBefore, vectors: keptBefore.chunks });
    await ftsIntact();
    expect((await api("GET", `/api/knowledge-bases/${kb.id}/documents/${gone.id}`, { token: me.token })).status).toBe(
      404,
    );
    for (const mode of ["hybrid", "lexical", "vector"]) {
      const hits = await search(me, kb.id, { query: "xylophonic resonance panel modes", mode });
      expect(hits.data.every((h) => h.citation.document_id === kept.id)).toBe(true);
    }
  });

  it("deleting a knowledge base removes every document, chunk, FTS entry and vector under it", async () => {
    const kb = await createKb(me, { name: "Delete kb", chunk_size: 64, chunk_overlap: 8 });
    const docs = [];
    for (let i = 0; i < 3; i++)
      docs.push(await uploadText(me, kb.id, `d${i}.txt`, `Quokka number ${i} studies delta wings. `.repeat(20)));
    for (const d of docs) await ingest(me, d.id);
    expect((await env.VECTOR_INDEX.getByName(kb.id).describe()).count).toBeGreaterThan(3);
    await expectStatus(204, "DELETE", `/api/knowledge-bases/${kb.id}`, { token: me.token });
    for (const d of docs)
      expect(await footprint(kb.id, d.id, "quokka")).toEqual({ chunks: 0, texts: 0, fts: 0, vectors: 0 });
    const left = await env.DB.prepare(
      "SELECT (SELECT count(*) FROM documents WHERE knowledge_base_id = ?1) + (SELECT count(*) FROM chunks WHERE knowledge_base_id = ?1) AS n",
    )
      .bind(kb.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
    await ftsIntact();
  });

  it("a document deleted while it is being ingested leaves no vectors behind", async () => {
    const kb = await createKb(me, { name: "Delete during ingest", chunk_size: 64, chunk_overlap: 8 });
    const doc = await uploadText(me, kb.id, "doomed.txt", "Doomed text about inlet buzz. ".repeat(30));
    const local = new LocalEmbedder();
    setProviderOverrides({
      embedder: {
        model: local.model,
        dimensions: local.dimensions,
        async embed(texts) {
          await expectStatus(204, "DELETE", `/api/knowledge-bases/${kb.id}/documents/${doc.id}`, { token: me.token });
          return local.embed(texts);
        },
      },
    });
    await ingest(me, doc.id);
    expect(await footprint(kb.id, doc.id, "doomed")).toEqual({ chunks: 0, texts: 0, fts: 0, vectors: 0 });
  });
});

describe("the ingestion kill switch", () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await createKb(me, { name: "Paused" });
  });

  it("keeps an upload queued and unprocessed while off (the message comes back later), and ingests it once switched back on", async () => {
    const admin = await adminToken();
    await expectStatus(200, "PUT", "/api/flags/ingestion", {
      token: admin,
      body: { enabled: false, kill_switch: true, description: "paused by test" },
    });
    try {
      const doc = await uploadText(me, kb.id, "held.txt", "Held back while ingestion is paused.");
      const send = vi.spyOn(env.INGEST_QUEUE, "send");
      await ingest(me, doc.id);
      expect(send).toHaveBeenCalledWith(expect.objectContaining({ type: "ingest_document", documentId: doc.id }), {
        delaySeconds: PAUSED_RECHECK_SECONDS,
      });
      expect(await getDocument(me, kb.id, doc.id)).toMatchObject({
        status: "queued",
        progress: 0,
        chunk_count: 0,
        attempts: 0,
        error: null,
      });
      expect(
        (
          await env.DB.prepare("SELECT count(*) AS n FROM chunks WHERE document_id = ?")
            .bind(doc.id)
            .first<{ n: number }>()
        )?.n,
      ).toBe(0);

      await expectStatus(204, "DELETE", "/api/flags/ingestion", { token: admin });
      await ingest(me, doc.id);
      expect(await getDocument(me, kb.id, doc.id)).toMatchObject({ status: "ready", chunk_count: 1 });
    } finally {
      await api("DELETE", "/api/flags/ingestion", { token: admin });
    }
  });
});

describe("failures", () => {
  it("records each failed attempt on the document, and the dead-letter consumer marks it failed with that error", async () => {
    const kb = await createKb(me, { name: "Failing" });
    const doc = await uploadText(me, kb.id, "fails.txt", "This one cannot be embedded today.");
    setProviderOverrides({
      embedder: {
        model: "local-hash-v1",
        dimensions: 384,
        embed: () => Promise.reject(new Error("embedding backend down")),
      },
    });
    await expect(ingest(me, doc.id, 1)).rejects.toThrow("embedding backend down");
    // The real queue consumer may deliver the upload's own message meanwhile, so the attempt number is not pinned.
    expect(await getDocument(me, kb.id, doc.id)).toMatchObject({
      status: "queued",
      error: expect.stringMatching(/^Attempt \d failed: embedding backend down$/),
      chunk_count: 0,
    });
    await expect(ingest(me, doc.id, 2)).rejects.toThrow();

    const acked: string[] = [];
    const body = {
      type: "ingest_document",
      v: 1,
      workspaceId: me.workspaceId,
      documentId: doc.id,
      requestId: "req_dlq",
    };
    const batch = {
      queue: "liquid-hive-ingest-dlq",
      messages: [
        { id: "m1", timestamp: new Date(), attempts: 1, body, ack: () => acked.push("m1"), retry: () => undefined },
      ],
      ackAll: () => undefined,
      retryAll: () => undefined,
    } as unknown as MessageBatch<unknown>;
    await handleDeadLetters(batch, env);
    expect(acked).toEqual(["m1"]);
    const failed = await getDocument(me, kb.id, doc.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^Attempt \d failed: embedding backend down \(gave up after \d+ attempts\)$/);
  });

  it("leaves a document that became ready alone when its dead letter arrives late", async () => {
    const kb = await createKb(me, { name: "Late letter" });
    const doc = await uploadText(me, kb.id, "fine.txt", "Processed fine on a later try.");
    await ingest(me, doc.id);
    const batch = {
      queue: "liquid-hive-ingest-dlq",
      messages: [
        {
          id: "m2",
          timestamp: new Date(),
          attempts: 1,
          body: {
            type: "ingest_document",
            v: 1,
            workspaceId: me.workspaceId,
            documentId: doc.id,
            requestId: "req_late",
          },
          ack: () => undefined,
          retry: () => undefined,
        },
      ],
      ackAll: () => undefined,
      retryAll: () => undefined,
    } as unknown as MessageBatch<unknown>;
    await handleDeadLetters(batch, env);
    expect(await getDocument(me, kb.id, doc.id)).toMatchObject({ status: "ready", error: null });
  });
});
