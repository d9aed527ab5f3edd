// Deleting documents and knowledge bases from every store. Vectors go first: if that fails the
// D1 rows (the source of truth, which lists the vector ids) are still there and the request can
// be retried; if D1 then fails, search drops vector matches that have no chunk row, so nothing
// deleted can resurface. FTS rows follow the chunks rows through the triggers of migration 0001.
// Originals in R2 go first for the same reason: listed by prefix, so a retry finds what is left.
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../core/db";
import { chunks, documents, documentTexts, knowledgeBases } from "../core/db/schema";
import type { VectorIndex } from "../core/providers/types";
import type { DocumentRow } from "./document-store";
import type { KnowledgeBaseRow } from "./kb-store";
import { deleteDocumentOriginals, deleteKnowledgeBaseOriginals } from "./originals";
import { deleteVectors } from "./vectors";

interface PurgeDeps {
  db: Database;
  vectorIndex: VectorIndex;
  originals: R2Bucket;
}

export async function purgeDocument({ db, vectorIndex, originals }: PurgeDeps, doc: DocumentRow): Promise<number> {
  await deleteDocumentOriginals(originals, { workspaceId: doc.workspaceId, kbId: doc.knowledgeBaseId, docId: doc.id });
  const ids = await db
    .select({ id: chunks.id })
    .from(chunks)
    .where(and(eq(chunks.workspaceId, doc.workspaceId), eq(chunks.documentId, doc.id)));
  await deleteVectors(
    vectorIndex,
    doc.knowledgeBaseId,
    ids.map((r) => r.id),
  );
  await db.batch([
    db.delete(chunks).where(and(eq(chunks.workspaceId, doc.workspaceId), eq(chunks.documentId, doc.id))),
    db
      .delete(documentTexts)
      .where(and(eq(documentTexts.workspaceId, doc.workspaceId), eq(documentTexts.documentId, doc.id))),
    db.delete(documents).where(and(eq(documents.workspaceId, doc.workspaceId), eq(documents.id, doc.id))),
  ]);
  return ids.length;
}

export async function purgeKnowledgeBase(
  { db, vectorIndex, originals }: PurgeDeps,
  kb: KnowledgeBaseRow,
): Promise<{ documents: number; chunks: number; originals: number }> {
  const removedOriginals = await deleteKnowledgeBaseOriginals(originals, kb.workspaceId, kb.id);
  const inKb = and(eq(chunks.workspaceId, kb.workspaceId), eq(chunks.knowledgeBaseId, kb.id));
  const ids = await db.select({ id: chunks.id }).from(chunks).where(inKb);
  await deleteVectors(
    vectorIndex,
    kb.id,
    ids.map((r) => r.id),
  );
  const docIds = db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.workspaceId, kb.workspaceId), eq(documents.knowledgeBaseId, kb.id)));
  const [, , removed] = await db.batch([
    db.delete(chunks).where(inKb),
    db
      .delete(documentTexts)
      .where(and(eq(documentTexts.workspaceId, kb.workspaceId), inArray(documentTexts.documentId, docIds))),
    db
      .delete(documents)
      .where(and(eq(documents.workspaceId, kb.workspaceId), eq(documents.knowledgeBaseId, kb.id)))
      .returning({ id: documents.id }),
    db.delete(knowledgeBases).where(and(eq(knowledgeBases.workspaceId, kb.workspaceId), eq(knowledgeBases.id, kb.id))),
  ]);
  return { documents: removed.length, chunks: ids.length, originals: removedOriginals };
}
