// The names of the model providers, defined once: agent definitions validate against them
// (agents/schemas.ts) and the model factory (model-chain.ts) builds one provider per name.
export const MODEL_PROVIDERS = ["offline", "workers-ai", "openai-compatible", "scripted"] as const;

/** Which model to ask: an agent's `model` / `fallback_models` entry, or a raw /v1 model name. */
export interface ModelSpec {
  provider: (typeof MODEL_PROVIDERS)[number];
  id: string;
}
