// The fetch_document queue handler: fetch a URL document's page through the outbound guard,
// extract its text as an upload's would be, and hand it to ingestion only when the content
// changed. A re-fetch is conditional (If-None-Match / If-Modified-Since from the last answer);
// a 304 or the same bytes only record `checked_at`. Safe to run twice for one message: the row
// and text are written under a guard on the content hash the run started from, and ingestion is
// idempotent. A page the guard refuses, or one that cannot be indexed, fails for good with the
// reason; a page that was fetched before keeps its indexed text and records the error instead.

import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { getConfig } from "../core/config";
import { documents } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { sha256Hex } from "../core/ids";
import { writeLog } from "../core/logger";
import { createServices } from "../core/services";
import { OutboundRefused } from "../outbound/url-guard";
import type { FetchDocumentMessage } from "../queue/messages";
import { isUniqueViolation } from "../users/service";
import { type DocumentRow, textParts, updateSameContent } from "./document-store";
import { extractLimits, extractText, resolveType } from "./extract";
import { ingestDocument, refreshCache } from "./ingest";
import { deleteOriginal, storeOriginal } from "./originals";
import { fetchPage } from "./web-page";

type Message = z.infer<typeof FetchDocumentMessage>;

class PageRefused extends Error {}

/** The page's title: the HTML extractor puts it (or the first heading) first as a `#` line. */
const titleOf = (text: string) => /^# (.+)/.exec(text.slice(0, 400))?.[1]?.trim().slice(0, 200) || null;

interface Fetched {
  bytes: Uint8Array;
  hash: string;
  type: DocumentRow["contentType"];
  size: number;
  text: string;
  etag: string | null;
  lastModified: string | null;
}

/** Writes the new content with its text in one batch; false when another run changed the document first. */
async function store(env: Env, doc: DocumentRow, page: Fetched, name: string, now: number): Promise<boolean> {
  const guard = "EXISTS (SELECT 1 FROM documents WHERE workspace_id = ?1 AND id = ?2 AND content_hash = ?3)";
  const [update] = await env.DB.batch([
    env.DB.prepare(
      `UPDATE documents SET name = ?4, content_type = ?5, content_hash = ?6, size_bytes = ?7, char_count = ?8,
         status = 'queued', progress = 0, error = NULL, attempts = 0, indexed_signature = NULL,
         etag = ?9, last_modified = ?10, checked_at = ?11, updated_at = ?11
       WHERE workspace_id = ?1 AND id = ?2 AND content_hash = ?3`,
    ).bind(
      doc.workspaceId,
      doc.id,
      doc.contentHash,
      name,
      page.type,
      page.hash,
      page.size,
      page.text.length,
      page.etag,
      page.lastModified,
      now,
    ),
    // The text follows only the row this content landed in (a concurrent run with other bytes writes nothing).
    env.DB.prepare(`DELETE FROM document_texts WHERE document_id = ?2 AND ${guard}`).bind(
      doc.workspaceId,
      doc.id,
      page.hash,
    ),
    ...textParts(page.text).map((content, part) =>
      env.DB.prepare(
        `INSERT INTO document_texts (document_id, part, workspace_id, content) SELECT ?2, ?4, ?1, ?5 WHERE ${guard}`,
      ).bind(doc.workspaceId, doc.id, page.hash, part, content),
    ),
  ]);
  return (update?.meta.changes ?? 0) > 0;
}

async function currentHash(env: Env, doc: DocumentRow): Promise<string | null> {
  const row = await env.DB.prepare("SELECT content_hash FROM documents WHERE workspace_id = ? AND id = ?")
    .bind(doc.workspaceId, doc.id)
    .first<{ content_hash: string }>();
  return row?.content_hash ?? null;
}

async function update(env: Env, doc: DocumentRow, fields: Partial<DocumentRow>): Promise<void> {
  await updateSameContent(createServices(env, getConfig(env)).db, doc, fields);
  await refreshCache(env, doc.workspaceId);
}

/** GETs the page (conditionally when re-fetching); null for 304 Not Modified. */
async function download(env: Env, doc: DocumentRow, refetch: boolean): Promise<Fetched | null> {
  const config = getConfig(env);
  const headers: Record<string, string> = {};
  if (refetch && doc.etag) headers["If-None-Match"] = doc.etag;
  if (refetch && doc.lastModified) headers["If-Modified-Since"] = doc.lastModified;
  const limit = config.KNOWLEDGE_MAX_UPLOAD_BYTES;
  let res: Awaited<ReturnType<typeof fetchPage>>;
  try {
    res = await fetchPage(doc.sourceUrl as string, config, { maxBytes: limit, headers });
  } catch (err) {
    if (err instanceof OutboundRefused) throw new PageRefused(`Refused: ${err.message}`);
    throw err;
  }
  if (res.status === 304 && Object.keys(headers).length > 0) return null;
  if (res.status !== 200) throw new PageRefused(`The page answered HTTP ${res.status}`);
  if (res.truncated) throw new PageRefused(`The page is larger than ${limit} bytes (KNOWLEDGE_MAX_UPLOAD_BYTES)`);
  try {
    const path = new URL(res.url).pathname;
    const type = resolveType(res.type || undefined, path.endsWith("/") ? "index.html" : path);
    const text = await extractText(res.bytes, type, extractLimits(config));
    return {
      bytes: res.bytes,
      hash: await sha256Hex(res.bytes),
      type,
      size: res.bytes.byteLength,
      text,
      etag: res.headers.get("ETag"),
      lastModified: res.headers.get("Last-Modified"),
    };
  } catch (err) {
    if (err instanceof ApiError) throw new PageRefused(err.message);
    throw err;
  }
}

export async function fetchDocument(message: Message, env: Env, attempt: number): Promise<void> {
  const fields = { document_id: message.documentId, workspace_id: message.workspaceId, request_id: message.requestId };
  const [doc] = await createServices(env, getConfig(env))
    .db.select()
    .from(documents)
    .where(and(eq(documents.workspaceId, message.workspaceId), eq(documents.id, message.documentId)))
    .limit(1);
  if (!doc?.sourceUrl) {
    writeLog("info", "fetch_document_gone", fields);
    return;
  }
  const ingest = () => ingestDocument({ ...message, type: "ingest_document" }, env, attempt);
  // A redelivered first fetch whose page is already stored only needs its ingestion finished.
  if (!message.refetch && doc.checkedAt !== null) return ingest();
  const fetchedBefore = doc.checkedAt !== null;
  const now = Date.now();
  let page: Fetched | null;
  try {
    page = await download(env, doc, message.refetch);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    writeLog("warn", "fetch_document_failed", { ...fields, attempt, error: reason });
    if (err instanceof PageRefused) {
      await update(env, doc, fetchedBefore ? { error: reason, checkedAt: now } : { status: "failed", error: reason });
      return;
    }
    // Recorded for the dead-letter consumer (or a person); the consumer retries with backoff.
    if (!fetchedBefore) await update(env, doc, { error: `Attempt ${attempt} failed: ${reason}` });
    throw err;
  }
  if (!page || page.hash === doc.contentHash) {
    // Nothing changed: remember when we looked and the validators the server sent.
    const validators = page ? { etag: page.etag, lastModified: page.lastModified } : {};
    await update(env, doc, { checkedAt: now, error: null, ...validators });
    writeLog("info", "fetch_document_unchanged", { ...fields, not_modified: !page });
    return doc.status === "ready" ? undefined : ingest();
  }
  const name = doc.name === doc.sourceUrl.slice(0, 200) ? (titleOf(page.text) ?? doc.name) : doc.name;
  // The page as fetched is the document's original (downloads, re-extraction), stored before the
  // row points at it and removed again when the row does not take it.
  const original = { workspaceId: doc.workspaceId, kbId: doc.knowledgeBaseId, docId: doc.id };
  await storeOriginal(env.ORIGINALS, { ...original, hash: page.hash, bytes: page.bytes, contentType: page.type, name });
  let stored = false;
  try {
    stored = await store(env, doc, page, name, now);
    if (!stored) {
      writeLog("info", "fetch_document_superseded", fields);
      return;
    }
    if (fetchedBefore) await deleteOriginal(env.ORIGINALS, { ...original, hash: doc.contentHash });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const reason = "The same content is already in this knowledge base as another document";
    await update(env, doc, fetchedBefore ? { error: reason, checkedAt: now } : { status: "failed", error: reason });
    return;
  } finally {
    // Unless another run stored the same page meanwhile: then this object is its original.
    if (!stored && (await currentHash(env, doc)) !== page.hash) {
      await deleteOriginal(env.ORIGINALS, { ...original, hash: page.hash });
    }
  }
  writeLog("info", "fetch_document_changed", { ...fields, bytes: page.size });
  await ingest();
}
