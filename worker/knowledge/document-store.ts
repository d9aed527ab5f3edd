// Documents and their extracted text in D1. The text is stored in parts because D1 caps a row
// (and a bound string) at 2 MB while uploads may be larger; every citation offset points into
// the joined parts.
import { and, eq, type SQL } from "drizzle-orm";
import { newestFirst, toPage } from "../core/cursor";
import type { Database } from "../core/db";
import { findRow } from "../core/db/find";
import { documents, documentTexts } from "../core/db/schema";
import type { DocumentType } from "./extract/formats";
import type { DocumentPage, KnowledgeDocument } from "./schemas";

export type DocumentRow = typeof documents.$inferSelect;

/** At most 4 UTF-8 bytes per UTF-16 unit pair, so 400k units stay under D1's 2 MB cap. */
export const TEXT_PART_CHARS = 400_000;

const iso = (ms: number) => new Date(ms).toISOString();

export const toDocument = (row: DocumentRow): KnowledgeDocument => ({
  id: row.id,
  knowledge_base_id: row.knowledgeBaseId,
  name: row.name,
  content_type: row.contentType as DocumentType,
  size_bytes: row.sizeBytes,
  content_hash: row.contentHash,
  char_count: row.charCount,
  tags: row.tags,
  status: row.status,
  progress: row.progress,
  error: row.error,
  chunk_count: row.chunkCount,
  attempts: row.attempts,
  source_url: row.sourceUrl,
  checked_at: row.checkedAt === null ? null : iso(row.checkedAt),
  created_at: iso(row.createdAt),
  updated_at: iso(row.updatedAt),
});

export const inKnowledgeBase = (workspaceId: string, kbId: string): SQL =>
  and(eq(documents.workspaceId, workspaceId), eq(documents.knowledgeBaseId, kbId)) as SQL;

/** Updates a document unless its content changed meanwhile (a replacement or a re-fetch won the race). */
export async function updateSameContent(db: Database, doc: DocumentRow, fields: Partial<DocumentRow>): Promise<void> {
  await db
    .update(documents)
    .set({ ...fields, updatedAt: Date.now() })
    .where(
      and(
        eq(documents.workspaceId, doc.workspaceId),
        eq(documents.id, doc.id),
        eq(documents.contentHash, doc.contentHash),
      ),
    );
}

export function findDocument(db: Database, workspaceId: string, kbId: string, docId: string): Promise<DocumentRow> {
  return findRow(db, documents, and(inKnowledgeBase(workspaceId, kbId), eq(documents.id, docId)), "Document");
}

export async function listDocuments(
  db: Database,
  workspaceId: string,
  kbId: string,
  q: { limit: number; cursor?: string | undefined; status?: DocumentRow["status"] | undefined },
): Promise<DocumentPage> {
  const rows = await newestFirst(
    db.select().from(documents).$dynamic(),
    documents,
    q,
    inKnowledgeBase(workspaceId, kbId),
    q.status ? eq(documents.status, q.status) : undefined,
  );
  return toPage(rows, q.limit, toDocument);
}

export function textParts(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + TEXT_PART_CHARS);
    // Keep surrogate pairs whole so every part is valid UTF-16 on its own.
    if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end] ?? "")) end--;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

/** Statements that replace a document's stored text; run them in the batch that writes the document row. */
export function writeTextStatements(db: Database, workspaceId: string, documentId: string, text: string) {
  return [
    db.delete(documentTexts).where(eq(documentTexts.documentId, documentId)),
    ...textParts(text).map((content, part) =>
      db.insert(documentTexts).values({ documentId, part, workspaceId, content }),
    ),
  ] as const;
}

export async function loadText(db: Database, workspaceId: string, documentId: string): Promise<string> {
  const rows = await db
    .select({ content: documentTexts.content })
    .from(documentTexts)
    .where(and(eq(documentTexts.workspaceId, workspaceId), eq(documentTexts.documentId, documentId)))
    .orderBy(documentTexts.part);
  return rows.map((r) => r.content).join("");
}
