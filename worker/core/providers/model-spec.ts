// The names of the model providers, defined once in the API's types: agent definitions validate
// against them (agents/schemas.ts) and the model factory (model-chain.ts) builds one provider per name.
import type { ModelProvider } from "@hive/shared/api-types/agents";

/** Which model to ask: an agent's `model` / `fallback_models` entry, or a raw /v1 model name. */
export interface ModelSpec {
  provider: ModelProvider;
  id: string;
}
