// Re-indexing (a chunk-size change, a new extractor) reads the document's original from R2 and
// extracts it again, so whatever the extractor does better now takes effect; the text stored at
// upload is the fallback for documents without an original, or whose original no longer
// extracts. A first indexing uses the text the upload just extracted from the same bytes.
// New text is written in the batch that swaps the chunks, guarded by the content hash like the
// chunks themselves, because every citation offset points into it.
import { getConfig } from "../core/config";
import { writeLog } from "../core/logger";
import { type DocumentRow, textParts } from "./document-store";
import { type DocumentType, extractLimits, extractText } from "./extract";
import { readOriginal } from "./originals";

export interface IndexSource {
  text: string;
  /** The text differs from the stored one and replaces it in the chunk swap. */
  changed: boolean;
}

export async function textForIndexing(env: Env, doc: DocumentRow, stored: string): Promise<IndexSource> {
  if (doc.indexedSignature === null) return { text: stored, changed: false };
  const fields = { document_id: doc.id, workspace_id: doc.workspaceId };
  const original = { workspaceId: doc.workspaceId, kbId: doc.knowledgeBaseId, docId: doc.id, hash: doc.contentHash };
  const object = await readOriginal(env.ORIGINALS, original);
  if (!object) {
    writeLog("info", "reindex_from_stored_text", fields);
    return { text: stored, changed: false };
  }
  const bytes = new Uint8Array(await object.arrayBuffer());
  try {
    const text = await extractText(bytes, doc.contentType as DocumentType, extractLimits(getConfig(env)));
    return { text, changed: text !== stored };
  } catch (err) {
    writeLog("warn", "reindex_extract_failed", { ...fields, error: err instanceof Error ? err.message : String(err) });
    return { text: stored, changed: false };
  }
}

/** Replace the stored text and its length, only while the document still has the content it was read from. */
export function replaceTextStatements(env: Env, doc: DocumentRow, text: string): D1PreparedStatement[] {
  const guard = `EXISTS (SELECT 1 FROM documents WHERE id = ?2 AND workspace_id = ?1 AND content_hash = ?3)`;
  const key = [doc.workspaceId, doc.id, doc.contentHash] as const;
  return [
    env.DB.prepare(`DELETE FROM document_texts WHERE workspace_id = ?1 AND document_id = ?2 AND ${guard}`).bind(...key),
    ...textParts(text).map((content, part) =>
      env.DB.prepare(
        `INSERT INTO document_texts (document_id, part, workspace_id, content) SELECT ?2, ?4, ?1, ?5 WHERE ${guard}`,
      ).bind(...key, part, content),
    ),
    env.DB.prepare(
      `UPDATE documents SET char_count = ?4 WHERE workspace_id = ?1 AND id = ?2 AND content_hash = ?3`,
    ).bind(...key, text.length),
  ];
}
