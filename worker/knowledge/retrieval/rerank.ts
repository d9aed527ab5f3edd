// Optional second stage: Workers AI's cross-encoder reranker reads the query with each
// candidate and scores relevance directly, which orders the top of the list better than either
// retriever alone. Only used when the AI binding exists; a failure falls back to fused order.
import { ProviderError } from "../../core/providers/errors";
import { type AiRunner, isRecord, runAi, WORKERS_AI_PROVIDER } from "../../core/providers/workers-ai";

export const RERANK_MODEL = "@cf/baai/bge-reranker-base";
/** The reranker reads 512 tokens; longer passages are cut by the model anyway. */
const MAX_PASSAGE_CHARS = 2000;

/** Relevance scores aligned with `passages`. */
export async function rerank(ai: AiRunner, query: string, passages: readonly string[]): Promise<number[]> {
  const result = await runAi(ai, RERANK_MODEL, {
    query,
    contexts: passages.map((text) => ({ text: text.slice(0, MAX_PASSAGE_CHARS) })),
    top_k: passages.length,
  });
  const response = isRecord(result) ? result.response : undefined;
  if (!Array.isArray(response))
    throw new ProviderError(WORKERS_AI_PROVIDER, `${RERANK_MODEL} returned no ranking`, { retryable: false });
  const scores = passages.map(() => Number.NEGATIVE_INFINITY);
  for (const item of response) {
    if (
      isRecord(item) &&
      typeof item.id === "number" &&
      typeof item.score === "number" &&
      item.id >= 0 &&
      item.id < passages.length
    ) {
      scores[item.id] = item.score;
    }
  }
  return scores;
}
