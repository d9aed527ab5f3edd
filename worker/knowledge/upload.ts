// Uploading documents: every upload (single, PUT, batch) goes through `ingestUploads`. Each file
// is checked, hashed, planned against what the knowledge base holds and extracted, with nothing
// written; then the request is charged to its workspace's ingest windows by the documents it
// will queue and their bytes (all or none: a refused request writes nothing); then each file's
// row and text are written in one D1 batch and queued. A file that fails a check is refused on
// its own; a document whose message cannot be queued is rolled back (new) or marked failed
// (replacement), so nothing sits in `queued` with no message to move it.
import { and, eq, inArray, or } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import { audit } from "../audit/audit";
import { documents } from "../core/db/schema";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { newId, sha256Hex } from "../core/ids";
import { log } from "../core/logger";
import { hasControlCharacters } from "../core/names";
import type { AuthenticatedPrincipal } from "../core/principal";
import { sendTraced } from "../core/trace/queue";
import type { IngestDocumentMessage } from "../queue/messages";
import { admitIngest } from "../ratelimit/middleware";
import { isUniqueViolation } from "../users/service";
import { type DocumentRow, findDocument, inKnowledgeBase, toDocument, writeTextStatements } from "./document-store";
import { type DocumentType, extractLimits, extractText, resolveType } from "./extract";
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

const duplicate = (existing: DocumentRow, extra: Record<string, unknown> = {}) =>
  new ApiError("CONFLICT", `This content is already in the knowledge base as "${existing.name}"`, {
    details: { existing_document_id: existing.id, ...extra },
  });

type Plan = { target: DocumentRow; action: "unchanged" } | { target: DocumentRow | null; action: WriteAction };
type WriteAction = Exclude<Action, "unchanged">;

const sameTags = (doc: DocumentRow, input: UploadInput) => JSON.stringify(doc.tags) === JSON.stringify(input.tags);

/** Which document the upload writes to, and as what; throws 409 for content that already exists elsewhere. */
async function plan(
  c: Context<HonoEnv>,
  kb: KnowledgeBaseRow,
  p: AuthenticatedPrincipal,
  input: UploadInput,
  hash: string,
): Promise<Plan> {
  const db = c.var.services.db;
  const matches = await db
    .select()
    .from(documents)
    .where(
      and(inKnowledgeBase(p.workspaceId, kb.id), or(eq(documents.contentHash, hash), eq(documents.name, input.name))),
    );
  const same = matches.find((d) => d.contentHash === hash) ?? null;
  // The same file under the same name again (a folder uploaded twice) needs nothing; new tags
  // (which the vectors carry) or an explicit `replace` need another pass.
  const again = (doc: DocumentRow): Plan =>
    same?.name === input.name && sameTags(same, input) && !input.replace
      ? { target: doc, action: "unchanged" }
      : { target: doc, action: "reprocessed" };
  if (input.targetId) {
    const target = await findDocument(db, p.workspaceId, kb.id, input.targetId);
    if (same && same.id !== target.id) throw duplicate(same);
    return same ? again(target) : { target, action: "replaced" };
  }
  const named = matches.find((d) => d.name === input.name && d.id !== same?.id) ?? null;
  if (same) {
    if (same.name === input.name) return again(same);
    if (!input.replace) throw duplicate(same);
    // Replacing by content and by name would leave two documents with one content.
    if (named) throw duplicate(same, { conflicting_document_id: named.id });
    return { target: same, action: "reprocessed" };
  }
  return { target: named, action: named ? "replaced" : "created" };
}

/** A checked file and what writing it will do; nothing is written yet. */
type Prepared =
  | { input: UploadInput; action: "unchanged"; target: DocumentRow }
  | {
      input: UploadInput;
      action: WriteAction;
      target: DocumentRow | null;
      type: DocumentType;
      text: string;
      hash: string;
    };

type Write = Exclude<Prepared, { action: "unchanged" }>;

export type UploadOutcome = { ok: true; result: UploadResult } | { ok: false; error: ApiError };

/** Names and contents already claimed by earlier files of the same request. */
interface Claimed {
  names: Set<string>;
  hashes: Set<string>;
}

const invalidName = (message: string) =>
  new ApiError("VALIDATION_ERROR", "Request validation failed", {
    details: { fields: [{ path: "name", message, code: "custom" }] },
  });

async function prepare(
  c: Context<HonoEnv>,
  kb: KnowledgeBaseRow,
  p: AuthenticatedPrincipal,
  input: UploadInput,
  claimed: Claimed,
): Promise<Prepared> {
  if (!input.name.trim() || input.name.length > 255) throw invalidName("must be 1 to 255 characters");
  if (hasControlCharacters(input.name)) throw invalidName("the file name must not contain control characters");
  const limit = c.var.config.KNOWLEDGE_MAX_UPLOAD_BYTES;
  if (input.bytes.length > limit) throw tooLarge(limit, input.bytes.length);
  const type = resolveType(input.declaredType, input.name);
  const hash = await sha256Hex(input.bytes);
  if (claimed.names.has(input.name)) {
    throw new ApiError("CONFLICT", `Another file in this upload is also named "${input.name}"`);
  }
  if (claimed.hashes.has(hash)) {
    throw new ApiError("CONFLICT", "Another file in this upload has the same content", {
      details: { content_hash: hash },
    });
  }
  const planned = await plan(c, kb, p, input, hash);
  claimed.names.add(input.name);
  claimed.hashes.add(hash);
  if (planned.action === "unchanged") return { input, ...planned };
  const text = await extractText(input.bytes, type, extractLimits(c.var.config));
  return { input, ...planned, type, text, hash };
}

async function commit(
  c: Context<HonoEnv>,
  kb: KnowledgeBaseRow,
  p: AuthenticatedPrincipal,
  prepared: Write,
): Promise<UploadResult> {
  const { input, action, target, type, text, hash } = prepared;
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
    : {
        id,
        workspaceId: p.workspaceId,
        knowledgeBaseId: kb.id,
        chunkCount: 0,
        createdAt: now,
        unchangedAt: null,
        ...fields,
      };
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

async function settle<T>(run: () => Promise<T>): Promise<T | ApiError> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
}

/** Notes when documents were last sent again unchanged, for the ingestion progress view. */
async function markUnchanged(c: Context<HonoEnv>, workspaceId: string, rows: DocumentRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const now = Date.now();
  await c.var.services.db
    .update(documents)
    .set({ unchangedAt: now })
    .where(
      and(
        eq(documents.workspaceId, workspaceId),
        inArray(
          documents.id,
          rows.map((r) => r.id),
        ),
      ),
    );
  return now;
}

/**
 * Uploads files into a knowledge base, answering one outcome per file in the order given (a file
 * the route already refused while reading it stays refused in its place).
 * Throws (and writes nothing) when the workspace's ingest windows have no room for the files
 * that would be queued.
 */
export async function ingestUploads(
  c: Context<HonoEnv>,
  kb: KnowledgeBaseRow,
  p: AuthenticatedPrincipal,
  inputs: readonly (UploadInput | ApiError)[],
): Promise<UploadOutcome[]> {
  const claimed: Claimed = { names: new Set(), hashes: new Set() };
  const prepared: (Prepared | ApiError)[] = [];
  for (const input of inputs) {
    prepared.push(input instanceof ApiError ? input : await settle(() => prepare(c, kb, p, input, claimed)));
  }
  const files = prepared.filter((x): x is Prepared => !(x instanceof ApiError));
  const writes = files.filter((x): x is Write => x.action !== "unchanged");
  await admitIngest(c, { documents: writes.length, bytes: writes.reduce((n, w) => n + w.input.bytes.length, 0) });
  const at = await markUnchanged(
    c,
    p.workspaceId,
    files.flatMap((x) => (x.action === "unchanged" ? [x.target] : [])),
  );
  const outcomes: UploadOutcome[] = [];
  for (const x of prepared) {
    if (x instanceof ApiError) outcomes.push({ ok: false, error: x });
    else if (x.action === "unchanged") {
      outcomes.push({ ok: true, result: { ...toDocument({ ...x.target, unchangedAt: at }), action: "unchanged" } });
    } else {
      const result = await settle(() => commit(c, kb, p, x));
      outcomes.push(result instanceof ApiError ? { ok: false, error: result } : { ok: true, result });
    }
  }
  return outcomes;
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
    await sendTraced("INGEST_QUEUE", 1, (traceparent) => c.env.INGEST_QUEUE.send({ ...message, traceparent }));
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
