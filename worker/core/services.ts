// Services built once per request by one middleware and read from `c.var.services`.
// Implementations are chosen by what is bound (providers/select.ts, providers/model-chain.ts).
// Providers are built on first use and then reused for the request, so routes that never touch a
// model pay nothing.
import type { Config } from "./config";
import { createDb, type Database } from "./db";
import { deploymentModel } from "./providers/model-chain";
import { selectEmbedder, selectVectorIndex } from "./providers/select";
import type { Embedder, ModelProvider, VectorIndex } from "./providers/types";

export interface Services {
  db: Database;
  readonly model: ModelProvider;
  readonly embedder: Embedder;
  readonly vectorIndex: VectorIndex;
  /** Uploaded files as they came (worker/knowledge/originals.ts). */
  originals: R2Bucket;
}

export function createServices(env: Env, config: Config): Services {
  let model: ModelProvider | undefined;
  let embedder: Embedder | undefined;
  let vectorIndex: VectorIndex | undefined;
  return {
    db: createDb(env.DB),
    originals: env.ORIGINALS,
    get model() {
      return (model ??= deploymentModel(env, config));
    },
    get embedder() {
      return (embedder ??= selectEmbedder(env, config));
    },
    get vectorIndex() {
      return (vectorIndex ??= selectVectorIndex(env, config));
    },
  };
}
