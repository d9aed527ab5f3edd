// Picks the embedder and vector index by what is bound (docs/architecture.md, "Offline-first
// providers"): Workers AI / Vectorize when bound, the built-in offline providers otherwise.
// Models are picked the same way by the one model factory, model-chain.ts.
import type { Config } from "../config";
import { LocalEmbedder } from "./local-embedder";
import { LocalVectorIndex } from "./local-vector-index";
import { providerOverrides } from "./overrides";
import type { Embedder, VectorIndex } from "./types";
import { VectorizeIndex } from "./vectorize-index";
import { WorkersAiEmbedder } from "./workers-ai-embedder";

type ProviderEnv = Pick<Env, "AI" | "VECTORIZE" | "VECTOR_INDEX">;
type ProviderConfig = Pick<Config, "ENVIRONMENT" | "EMBEDDING_MODEL">;

const overrides = (config: ProviderConfig) => (config.ENVIRONMENT === "test" ? providerOverrides() : {});

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
