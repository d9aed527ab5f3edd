// Vector retrieval: the query embedded with each knowledge base's own model, then one query per
// knowledge base in its namespace, filtered by workspace and knowledge base in the metadata as
// well (Vectorize namespaces are partitions of one index, so the filter is the second wall).
import type { Embedder, VectorFilterOp, VectorIndex } from "../../core/providers/types";
import type { AiRunner } from "../../core/providers/workers-ai";
import { embedderFor } from "../embedders";
import type { KnowledgeBaseRow } from "../kb-store";
import { kbNamespace } from "../vectors";
import type { Ranked } from "./lexical";
import type { SearchScope } from "./scope";

/** Vectorize's `$in` takes a bounded list; larger document filters are applied when chunks are loaded. */
const MAX_FILTER_IDS = 100;
export const MAX_VECTOR_DEPTH = 100;

export interface VectorDeps {
  embedder: Embedder;
  vectorIndex: VectorIndex;
  ai?: AiRunner | undefined;
}

export async function vectorSearch(
  deps: VectorDeps,
  kbs: readonly KnowledgeBaseRow[],
  scope: SearchScope,
  query: string,
  depth: number,
): Promise<Ranked[]> {
  const byModel = new Map<string, Promise<number[]>>();
  const vectorFor = (model: string) => {
    let v = byModel.get(model);
    if (!v) {
      v = embedderFor({ embedder: deps.embedder, ai: deps.ai }, model)
        .embed([query])
        .then(([first]) => first as number[]);
      byModel.set(model, v);
    }
    return v;
  };
  const docs = scope.documentIds;
  const docFilter: Record<string, VectorFilterOp> =
    docs && docs.length <= MAX_FILTER_IDS ? { document_id: { $in: docs } } : {};
  // A document filter too long for the index: fetch deeper, the final lookup drops the rest.
  const topK = docs && docs.length > MAX_FILTER_IDS ? MAX_VECTOR_DEPTH : Math.min(depth, MAX_VECTOR_DEPTH);
  const results = await Promise.all(
    kbs.map(async (kb) => {
      const filter: Record<string, VectorFilterOp> = {
        workspace_id: scope.workspaceId,
        knowledge_base_id: kb.id,
        ...docFilter,
      };
      const { matches } = await deps.vectorIndex.query(await vectorFor(kb.embeddingModel), {
        topK,
        namespace: kbNamespace(kb.id),
        filter,
      });
      return matches.map((m) => ({ id: m.id, score: m.score }));
    }),
  );
  return results
    .flat()
    .sort((a, b) => b.score - a.score)
    .slice(0, topK);
}
