// Which embedder serves a knowledge base. A knowledge base keeps the model its vectors were
// made with; mixing models in one index would make similarities meaningless, so a model that
// cannot run here is refused rather than substituted.
import { WORKERS_AI_EMBEDDING_MODELS } from "@hive/shared/api-types/knowledge";
import { ApiError } from "../core/errors";
import type { Embedder } from "../core/providers/types";
import type { AiRunner } from "../core/providers/workers-ai";
import { WorkersAiEmbedder } from "../core/providers/workers-ai-embedder";

/** The list clients offer (shared/api-types), as a set to look a requested model up in. */
const WORKERS_AI_MODELS: ReadonlySet<string> = new Set(WORKERS_AI_EMBEDDING_MODELS);

export interface EmbedderSource {
  /** The deployment's default embedder (services.embedder). */
  embedder: Embedder;
  ai?: AiRunner | undefined;
}

export function availableEmbeddingModels(source: EmbedderSource): string[] {
  const models = new Set([source.embedder.model]);
  if (source.ai) for (const m of WORKERS_AI_EMBEDDING_MODELS) models.add(m);
  return [...models];
}

export function embedderFor(source: EmbedderSource, model: string): Embedder {
  if (model === source.embedder.model) return source.embedder;
  if (source.ai && WORKERS_AI_MODELS.has(model)) return new WorkersAiEmbedder(source.ai, model);
  throw new ApiError("UNPROCESSABLE", `Embedding model ${model} is not available in this deployment`, {
    details: { model, available: availableEmbeddingModels(source) },
  });
}
