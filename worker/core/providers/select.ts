// Picks each provider by what is bound (docs/architecture.md, "Offline-first providers"):
// Workers AI / Vectorize when bound, an OpenAI-compatible server when LLM_BASE_URL is set,
// the built-in offline providers otherwise.
import type { Config } from "../config";
import { LocalEmbedder } from "./local-embedder";
import { LocalVectorIndex } from "./local-vector-index";
import { OfflineModel } from "./offline-model";
import { OpenAiCompatibleModel } from "./openai-compatible-model";
import { providerOverrides } from "./overrides";
import { ResilientModel } from "./resilient-model";
import type { Embedder, ModelProvider, VectorIndex } from "./types";
import { VectorizeIndex } from "./vectorize-index";
import { WorkersAiEmbedder } from "./workers-ai-embedder";
import { WorkersAiModel } from "./workers-ai-model";

type ProviderEnv = Pick<Env, "AI" | "VECTORIZE" | "VECTOR_INDEX">;
type ProviderConfig = Pick<Config, "ENVIRONMENT" | "LLM_BASE_URL" | "LLM_API_KEY" | "LLM_MODEL" | "EMBEDDING_MODEL">;

const overrides = (config: ProviderConfig) => (config.ENVIRONMENT === "test" ? providerOverrides() : {});

export function selectModel(env: ProviderEnv, config: ProviderConfig): ModelProvider {
  const override = overrides(config).model;
  if (override) return override;
  // Real models are wrapped in breakers, retries and a fallback to the offline model.
  if (env.AI) return new ResilientModel([new WorkersAiModel(env.AI), new OfflineModel()]);
  if (config.LLM_BASE_URL) {
    const llm = new OpenAiCompatibleModel({
      baseUrl: config.LLM_BASE_URL,
      model: config.LLM_MODEL,
      ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
    });
    return new ResilientModel([llm, new OfflineModel()]);
  }
  return new OfflineModel();
}

export function selectEmbedder(env: ProviderEnv, config: ProviderConfig): Embedder {
  const override = overrides(config).embedder;
  if (override) return override;
  return env.AI ? new WorkersAiEmbedder(env.AI, config.EMBEDDING_MODEL) : new LocalEmbedder();
}

export function selectVectorIndex(env: ProviderEnv, config: ProviderConfig): VectorIndex {
  const override = overrides(config).vectorIndex;
  if (override) return override;
  return env.VECTORIZE ? new VectorizeIndex(env.VECTORIZE) : new LocalVectorIndex(env.VECTOR_INDEX);
}
