// The ingest_document queue handler: chunk → embed in batches → index (vectors, then chunk rows
// with their FTS entries in one D1 batch). Safe to run twice for one message:
// - chunk and vector ids are derived from the document, its content and settings (vectors.ts),
//   so a second run writes the same ids instead of new ones;
// - a document already `ready` for the same signature is skipped;
// - the chunk swap is one D1 batch guarded by the content hash the run started from, so a run
//   that lost a race with a replacement or a delete changes nothing in D1, and it removes the
//   vectors it wrote that D1 does not reference.
// Failures are retried by the consumer with backoff; after the last try the dead-letter consumer
// marks the document failed with the error recorded here.
import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { invalidate } from "../cache/middleware";
import { getConfig } from "../core/config";
import { chunks, documents, documentTexts, knowledgeBases } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { sha256Hex } from "../core/ids";
import { writeLog } from "../core/logger";
import type { Embedder } from "../core/providers/types";
import { createServices, type Services } from "../core/services";
import { capabilityOn } from "../flags/store";
import type { IngestDocumentMessage } from "../queue/messages";
import { chunkText, type TextChunk } from "./chunker";
import { type DocumentRow, updateSameContent } from "./document-store";
import { embedderFor } from "./embedders";
import type { KnowledgeBaseRow } from "./kb-store";
import { replaceTextStatements, textForIndexing } from "./reextract";
import { chunkId, chunkMetadata, deleteVectors, kbNamespace } from "./vectors";

type Message = z.infer<typeof IngestDocumentMessage>;

/** Bump when the chunker's output changes, so documents are re-chunked on their next message. */
const CHUNKER_VERSION = "c1";
const EMBED_BATCH = 64;
/** How long a paused upload waits before the consumer looks at the kill switch again. */
export const PAUSED_RECHECK_SECONDS = 30;
/** JSON payload per chunk-insert statement, in UTF-16 units (≤ 1.6 MB in UTF-8, under D1's 2 MB). */
const INSERT_PAYLOAD_CHARS = 400_000;

export const signatureOf = (doc: DocumentRow, kb: KnowledgeBaseRow) =>
  `${doc.contentHash}:${kb.chunkSize}:${kb.chunkOverlap}:${kb.embeddingModel}:${CHUNKER_VERSION}`;

class PermanentFailure extends Error {}

async function load(services: Services, message: Message) {
  const db = services.db;
  // One batch, one snapshot: the document row, its text and its knowledge base.
  const [docs, parts, kbs] = await db.batch([
    db
      .select()
      .from(documents)
      .where(and(eq(documents.workspaceId, message.workspaceId), eq(documents.id, message.documentId)))
      .limit(1),
    db
      .select({ content: documentTexts.content })
      .from(documentTexts)
      .where(and(eq(documentTexts.workspaceId, message.workspaceId), eq(documentTexts.documentId, message.documentId)))
      .orderBy(documentTexts.part),
    db
      .select()
      .from(knowledgeBases)
      .where(
        and(
          eq(knowledgeBases.workspaceId, message.workspaceId),
          eq(knowledgeBases.id, sql`(SELECT knowledge_base_id FROM documents WHERE id = ${message.documentId})`),
        ),
      )
      .limit(1),
  ]);
  const doc = docs[0];
  const kb = kbs[0];
  return doc && kb ? { doc, kb, text: parts.map((p) => p.content).join("") } : null;
}

async function setProgress(
  services: Services,
  doc: DocumentRow,
  fields: Partial<Pick<DocumentRow, "status" | "progress" | "attempts" | "error">>,
) {
  await updateSameContent(services.db, doc, fields);
}

async function embedAll(
  services: Services,
  env: Env,
  doc: DocumentRow,
  kb: KnowledgeBaseRow,
  pieces: TextChunk[],
): Promise<number[][]> {
  let embedder: Embedder;
  try {
    embedder = embedderFor({ embedder: services.embedder, ai: env.AI }, kb.embeddingModel);
  } catch (err) {
    throw new PermanentFailure(err instanceof ApiError ? err.message : String(err));
  }
  const vectors: number[][] = [];
  let reported = 0.1;
  for (let i = 0; i < pieces.length; i += EMBED_BATCH) {
    vectors.push(...(await embedder.embed(pieces.slice(i, i + EMBED_BATCH).map((p) => p.content))));
    const progress = 0.1 + 0.7 * (vectors.length / pieces.length);
    // Progress is for people watching a large document; don't pay a write per batch for it.
    if (progress - reported >= 0.1 && vectors.length < pieces.length) {
      reported = progress;
      await setProgress(services, doc, { progress: Math.round(progress * 100) / 100 });
    }
  }
  return vectors;
}

function insertStatements(
  env: Env,
  doc: DocumentRow,
  rows: { id: string; piece: TextChunk }[],
  now: number,
): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  let batch: unknown[] = [];
  let size = 0;
  const flush = () => {
    if (batch.length === 0) return;
    out.push(
      env.DB.prepare(
        `INSERT INTO chunks (id, workspace_id, knowledge_base_id, document_id, seq, content, start_offset, end_offset, token_count, created_at)
         SELECT json_extract(j.value, '$[0]'), ?1, ?2, ?3, json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'),
                json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'), ?4
         FROM json_each(?5) AS j
         WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?3 AND workspace_id = ?1 AND content_hash = ?6)`,
      ).bind(doc.workspaceId, doc.knowledgeBaseId, doc.id, now, JSON.stringify(batch), doc.contentHash),
    );
    batch = [];
    size = 0;
  };
  for (const { id, piece } of rows) {
    if (size + piece.content.length > INSERT_PAYLOAD_CHARS) flush();
    batch.push([id, piece.seq, piece.content, piece.start, piece.end, piece.tokens]);
    size += piece.content.length + 64;
  }
  flush();
  return out;
}

/** Replaces the document's chunks in one transaction; false when the document changed or vanished meanwhile. */
async function swapChunks(
  env: Env,
  doc: DocumentRow,
  rows: { id: string; piece: TextChunk }[],
  signature: string,
  text: D1PreparedStatement[],
): Promise<boolean> {
  const now = Date.now();
  const guard = `EXISTS (SELECT 1 FROM documents WHERE id = ?2 AND workspace_id = ?1 AND content_hash = ?3)`;
  const results = await env.DB.batch([
    env.DB.prepare(`DELETE FROM chunks WHERE workspace_id = ?1 AND document_id = ?2 AND ${guard}`).bind(
      doc.workspaceId,
      doc.id,
      doc.contentHash,
    ),
    ...text,
    ...insertStatements(env, doc, rows, now),
    env.DB.prepare(
      `UPDATE documents SET status = 'ready', progress = 1, error = NULL, chunk_count = ?4, indexed_signature = ?5, updated_at = ?6
       WHERE workspace_id = ?1 AND id = ?2 AND content_hash = ?3`,
    ).bind(doc.workspaceId, doc.id, doc.contentHash, rows.length, signature, now),
  ]);
  return (results[results.length - 1]?.meta.changes ?? 0) > 0;
}

async function index(
  services: Services,
  env: Env,
  doc: DocumentRow,
  kb: KnowledgeBaseRow,
  stored: string,
  signature: string,
): Promise<"ready" | "superseded"> {
  await setProgress(services, doc, { status: "processing", progress: 0.05, attempts: doc.attempts + 1 });
  const source = await textForIndexing(env, doc, stored);
  const pieces = chunkText(source.text, { size: kb.chunkSize, overlap: kb.chunkOverlap });
  if (pieces.length === 0) throw new PermanentFailure("The document has no text to index");
  const hash = await sha256Hex(signature);
  const rows = pieces.map((piece) => ({ id: chunkId(doc.id, hash, piece.seq), piece }));
  const values = await embedAll(services, env, doc, kb, pieces);
  await services.vectorIndex.upsert(
    rows.map(({ id, piece }, i) => ({
      id,
      values: values[i] as number[],
      namespace: kbNamespace(kb.id),
      metadata: chunkMetadata(doc.workspaceId, kb.id, doc.id, piece.seq, doc.tags),
    })),
  );
  const db = services.db;
  const previous = await db
    .select({ id: chunks.id })
    .from(chunks)
    .where(and(eq(chunks.workspaceId, doc.workspaceId), eq(chunks.documentId, doc.id)));
  const fresh = new Set(rows.map((r) => r.id));
  // Old vectors go before the swap: if we stopped between the two, a retry finds the old rows
  // again and finishes the job; the other order could strand vectors no row points to.
  await deleteVectors(
    services.vectorIndex,
    kb.id,
    previous.map((r) => r.id).filter((id) => !fresh.has(id)),
  );
  const text = source.changed ? replaceTextStatements(env, doc, source.text) : [];
  if (await swapChunks(env, doc, rows, signature, text)) return "ready";
  // Replaced or deleted while we worked: keep only vectors that D1 still references.
  const kept = await env.DB.prepare(
    `SELECT id FROM chunks WHERE workspace_id = ?1 AND id IN (SELECT value FROM json_each(?2))`,
  )
    .bind(doc.workspaceId, JSON.stringify([...fresh]))
    .all<{ id: string }>();
  const referenced = new Set(kept.results.map((r) => r.id));
  await deleteVectors(
    services.vectorIndex,
    kb.id,
    [...fresh].filter((id) => !referenced.has(id)),
  );
  return "superseded";
}

export async function ingestDocument(message: Message, env: Env, attempt: number): Promise<void> {
  const services = createServices(env, getConfig(env));
  const loaded = await load(services, message);
  const fields = {
    document_id: message.documentId,
    workspace_id: message.workspaceId,
    request_id: message.requestId,
    attempt,
  };
  if (!loaded) {
    writeLog("info", "ingest_document_gone", fields);
    return;
  }
  const { doc, kb, text } = loaded;
  if (!(await capabilityOn(env, "ingestion", { id: `workspace:${doc.workspaceId}`, workspaceId: doc.workspaceId }))) {
    // A fresh message rather than a retry: a long pause must not use up the retries that lead
    // to the dead-letter queue. The document stays `queued`, untouched.
    await env.INGEST_QUEUE.send(message, { delaySeconds: PAUSED_RECHECK_SECONDS });
    writeLog("info", "ingest_paused", fields);
    return;
  }
  const signature = signatureOf(doc, kb);
  if (doc.status === "ready" && doc.indexedSignature === signature) {
    writeLog("info", "ingest_already_done", fields);
    return;
  }
  try {
    const outcome = await index(services, env, doc, kb, text, signature);
    writeLog("info", "ingest_document_done", { ...fields, outcome });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof PermanentFailure) {
      await setProgress(services, doc, { status: "failed", error: reason });
      writeLog("warn", "ingest_document_failed", { ...fields, error: reason });
      await refreshCache(env, doc.workspaceId);
      return;
    }
    // Recorded so the dead-letter consumer (or a person) can see why the last try failed.
    await setProgress(services, doc, { status: "queued", error: `Attempt ${attempt} failed: ${reason}` }).catch(
      () => undefined,
    );
    throw err;
  }
  await refreshCache(env, doc.workspaceId);
}

/** Cached knowledge-base answers carry chunk counts that ingestion just changed. */
export async function refreshCache(env: Env, workspaceId: string): Promise<void> {
  try {
    await invalidate(env.CACHE, workspaceId, "knowledge-bases", getConfig(env).CACHE_MEMORY_TTL_SECONDS);
  } catch (err) {
    // KV rate-limits writes to one key; a stale cached count for up to CACHE_TTL_SECONDS is acceptable.
    writeLog("warn", "knowledge_cache_invalidate_failed", { workspace_id: workspaceId, error: String(err) });
  }
}
