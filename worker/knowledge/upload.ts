// Uploading a document: check the bytes, extract and store the text with the document row in
// one D1 batch, then queue it for ingestion. A file that fails any check is refused before
// anything is written; a document whose message cannot be queued is rolled back (new) or marked
// failed (replacement), so nothing sits in `queued` with no message to move it.
import { and, eq, or } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import { audit } from "../audit/audit";
import { documents } from "../core/db/schema";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { newId } from "../core/ids";
import { log } from "../core/logger";
import type { AuthenticatedPrincipal } from "../core/principal";
import type { IngestDocumentMessage } from "../queue/messages";
import { isUniqueViolation } from "../users/service";
import { type DocumentRow, findDocument, inKnowledgeBase, toDocument, writeTextStatements } from "./document-store";
import { extractLimits, extractText, resolveType } from "./extract";
import type { KnowledgeBaseRow } from "./kb-store";
import { deleteOriginal, storeOriginal } from "./originals";
import { purgeDocument } from "./purge";
import type { UploadResult } from "./schemas";

export interface UploadInput {
  name: string;
  declaredType: string | undefined;
  bytes: Uint8Array;
  tags: string[];
  /** Index again even when a document with the same content exists. */
  replace: boolean;
  /** PUT: the document whose content this upload replaces. */
  targetId?: string;
}

type Action = UploadResult["action"];

export function tooLarge(limit: number, size: number): ApiError {
  return new ApiError("PAYLOAD_TOO_LARGE", `The document is ${size} bytes; the limit is ${limit}`, {
    details: { limit_bytes: limit, size_bytes: size },
  });
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const duplicate = (existing: DocumentRow, extra: Record<string, unknown> = {}) =>
  new ApiError("CONFLICT", `This content is already in the knowledge base as "${existing.name}"`, {
    details: { existing_document_id: existing.id, ...extra },
  });

/** Which document the upload writes to, and as what; throws 409 for content that already exists elsewhere. */
async function plan(
  c: Context<HonoEnv>,
  kb: KnowledgeBaseRow,
  p: AuthenticatedPrincipal,
  input: UploadInput,
  hash: string,
): Promise<{ target: DocumentRow | null; action: Action }> {
  const db = c.var.services.db;
  const target = input.targetId ? await findDocument(db, p.workspaceId, kb.id, input.targetId) : null;
  const matches = await db
    .select()
    .from(documents)
    .where(
      and(inKnowledgeBase(p.workspaceId, kb.id), or(eq(documents.contentHash, hash), eq(documents.name, input.name))),
    );
  const same = matches.find((d) => d.contentHash === hash) ?? null;
  if (input.targetId) {
    if (same && same.id !== target?.id) throw duplicate(same);
    if (!same) return { target, action: "replaced" };
    // Same bytes: only a new name or new tags (which the vectors carry) need another pass.
    const identical = same.name === input.name && JSON.stringify(same.tags) === JSON.stringify(input.tags);
    return { target, action: identical && !input.replace ? "unchanged" : "reprocessed" };
  }
  const named = matches.find((d) => d.name === input.name && d.id !== same?.id) ?? null;
  if (same) {
    if (!input.replace) throw duplicate(same);
    // Replacing by content and by name would leave two documents with one content.
    if (named) throw duplicate(same, { conflicting_document_id: named.id });
    return { target: same, action: "reprocessed" };
  }
  return { target: named, action: named ? "replaced" : "created" };
}

export async function uploadDocument(
  c: Context<HonoEnv>,
  kb: KnowledgeBaseRow,
  p: AuthenticatedPrincipal,
  input: UploadInput,
): Promise<UploadResult> {
  const limit = c.var.config.KNOWLEDGE_MAX_UPLOAD_BYTES;
  if (input.bytes.length > limit) throw tooLarge(limit, input.bytes.length);
  const type = resolveType(input.declaredType, input.name);
  const text = await extractText(input.bytes, type, extractLimits(c.var.config));
  const hash = await sha256(input.bytes);
  const { target, action } = await plan(c, kb, p, input, hash);
  if (target && action === "unchanged") return { ...toDocument(target), action };

  const db = c.var.services.db;
  const now = Date.now();
  const fields = {
    name: input.name,
    contentType: type,
    contentHash: hash,
    sizeBytes: input.bytes.length,
    tags: input.tags,
    status: "queued" as const,
    progress: 0,
    error: null,
    attempts: 0,
    charCount: text.length,
    indexedSignature: null,
    // An upload under a fetched page's name turns it into an uploaded document: no more re-fetches.
    sourceUrl: null,
    etag: null,
    lastModified: null,
    checkedAt: null,
    updatedAt: now,
  };
  const id = target?.id ?? newId("doc");
  const row: DocumentRow = target
    ? { ...target, ...fields }
    : { id, workspaceId: p.workspaceId, knowledgeBaseId: kb.id, chunkCount: 0, createdAt: now, ...fields };
  const original = { workspaceId: p.workspaceId, kbId: kb.id, docId: id, hash };
  await storeOriginal(c.env.ORIGINALS, { ...original, bytes: input.bytes, contentType: type, name: input.name });
  try {
    const write = target
      ? db
          .update(documents)
          .set(fields)
          .where(and(inKnowledgeBase(p.workspaceId, kb.id), eq(documents.id, id)))
      : db.insert(documents).values(row);
    await db.batch([write, ...writeTextStatements(db, p.workspaceId, id, text)]);
  } catch (err) {
    // The row still names the previous original (or none): the new object is not referenced.
    if (target?.contentHash !== hash) await tidyOriginals(c, id, () => deleteOriginal(c.env.ORIGINALS, original));
    // Two uploads of the same content raced; the other one won.
    if (isUniqueViolation(err))
      throw new ApiError("CONFLICT", "This content is already in the knowledge base", {
        details: { content_hash: hash },
      });
    throw err;
  }

  // The replaced content's original is no longer named by the row. Only that one goes: a
  // concurrent replacement's object may be the current one by now.
  const replaced = target?.contentHash;
  if (replaced && replaced !== hash)
    await tidyOriginals(c, id, () => deleteOriginal(c.env.ORIGINALS, { ...original, hash: replaced }));
  await enqueue(c, row, Boolean(target));
  await audit(c, {
    action: action === "created" ? "document.upload" : "document.replace",
    targetType: "document",
    targetId: id,
    detail: { knowledge_base_id: kb.id, name: input.name, content_type: type, size_bytes: input.bytes.length, action },
  });
  return { ...toDocument(row), action };
}

/** Best effort: a leftover object stays under the document's prefix, which deleting the document removes. */
async function tidyOriginals(c: Context<HonoEnv>, documentId: string, remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (err) {
    log(c, "warn", "original_cleanup_failed", { document_id: documentId, error: String(err) });
  }
}

async function enqueue(c: Context<HonoEnv>, row: DocumentRow, existed: boolean): Promise<void> {
  const message: z.infer<typeof IngestDocumentMessage> = {
    type: "ingest_document",
    v: 1,
    workspaceId: row.workspaceId,
    documentId: row.id,
    requestId: c.get("requestId"),
  };
  try {
    await c.env.INGEST_QUEUE.send(message);
  } catch (err) {
    log(c, "error", "ingest_enqueue_failed", {
      document_id: row.id,
      error: err instanceof Error ? err.message : String(err),
    });
    const db = c.var.services.db;
    if (existed) {
      await db
        .update(documents)
        .set({ status: "failed", error: "Could not be queued for ingestion; upload it again", updatedAt: Date.now() })
        .where(and(eq(documents.workspaceId, row.workspaceId), eq(documents.id, row.id)));
    } else {
      await purgeDocument(c.var.services, row);
    }
    throw new ApiError("UNAVAILABLE", "The ingestion queue is unavailable; try again shortly");
  }
}
