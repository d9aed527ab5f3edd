// How knowledge chunks live in the vector index: one namespace per knowledge base (a separate
// Durable Object locally, a partition in Vectorize) and metadata naming the tenant, so a query
// is confined twice — by namespace and by a workspace/knowledge-base filter. Vectorize filters
// only on indexed metadata: staging and production indexes need string metadata indexes on
// workspace_id, knowledge_base_id and document_id
// (`wrangler vectorize create-metadata-index <index> --property-name <name> --type string`).
import type { VectorIndex, VectorMetadata } from "../core/providers/types";

/** Vectorize accepts up to 1000 ids per delete; the local index takes any number. */
const DELETE_BATCH = 1000;

export const kbNamespace = (knowledgeBaseId: string) => knowledgeBaseId;

/**
 * Chunk (and vector) ids are derived, not random, so processing the same document twice writes
 * the same ids: `chk_<document>_<signature hash>_<seq>`. The signature covers the content and
 * the chunking settings, so ids change exactly when the chunks do.
 */
export const chunkId = (documentId: string, signatureHash: string, seq: number) =>
  `chk_${documentId.replace(/^doc_/, "")}_${signatureHash.slice(0, 8)}_${seq}`;

export function chunkMetadata(
  workspaceId: string,
  knowledgeBaseId: string,
  documentId: string,
  seq: number,
  tags: readonly string[],
): VectorMetadata {
  return {
    workspace_id: workspaceId,
    knowledge_base_id: knowledgeBaseId,
    document_id: documentId,
    seq,
    tags: tags.join(","),
  };
}

export async function deleteVectors(
  index: VectorIndex,
  knowledgeBaseId: string,
  ids: readonly string[],
): Promise<void> {
  for (let i = 0; i < ids.length; i += DELETE_BATCH)
    await index.deleteByIds(ids.slice(i, i + DELETE_BATCH), kbNamespace(knowledgeBaseId));
}
