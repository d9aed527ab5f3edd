// An agent's models as a fallback chain: its primary, its fallbacks, then the offline model
// (which cannot fail), run through the providers' ResilientModel (breaker per provider,
// retries and a timeout until the first event, then the next provider). Each provider is
// built with its model id baked in and labelled "provider:model", so breakers, usage events
// and stored messages name the exact model that answered.
import type { ModelSpec } from "../agents/schemas";
import type { Config } from "../core/config";
import { OfflineModel, OFFLINE_MODEL_ID } from "../core/providers/offline-model";
import { OpenAiCompatibleModel } from "../core/providers/openai-compatible-model";
import { providerOverrides } from "../core/providers/overrides";
import { ResilientModel } from "../core/providers/resilient-model";
import type { GenerateRequest, ModelEvent, ModelProvider } from "../core/providers/types";
import { WorkersAiModel } from "../core/providers/workers-ai-model";
import { capabilityOn } from "../flags/store";
import { PacedModel, parsePacing, scriptedAllowed } from "./paced-model";
import type { TurnKnowledge } from "./retrieval";

export interface ModelCandidate {
  /** "provider:model", as stored on messages and shown in usage events. */
  label: string;
  provider: ModelProvider;
}

const FIRST_EVENT_TIMEOUT_MS = 30_000;

function build(spec: ModelSpec, env: Pick<Env, "AI">, config: Config): ModelProvider | null {
  switch (spec.provider) {
    case "offline":
      return new OfflineModel();
    case "workers-ai":
      return env.AI ? new WorkersAiModel(env.AI, spec.id) : null;
    case "openai-compatible":
      return config.LLM_BASE_URL
        ? new OpenAiCompatibleModel({ baseUrl: config.LLM_BASE_URL, model: spec.id, ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}) })
        : null;
    case "scripted": {
      const pacing = parsePacing(spec.id);
      return pacing && scriptedAllowed(config) ? new PacedModel(pacing.tokens, pacing.intervalMs) : null;
    }
  }
}

/** Primary, fallbacks, offline; unavailable providers (nothing bound) are skipped. */
export function modelChain(specs: readonly ModelSpec[], env: Pick<Env, "AI">, config: Config): ModelCandidate[] {
  const chain: ModelCandidate[] = [];
  // Tests swap the primary for a scripted model; fallbacks stay real so fallback is testable.
  const override = config.ENVIRONMENT === "test" ? providerOverrides().model : undefined;
  specs.forEach((spec, i) => {
    const provider = i === 0 && override ? override : build(spec, env, config);
    if (provider) chain.push({ label: `${provider.id}:${spec.id}`, provider });
  });
  if (!chain.some((c) => c.provider.id === OFFLINE_MODEL_ID)) {
    chain.push({ label: `${OFFLINE_MODEL_ID}:${OFFLINE_MODEL_ID}`, provider: new OfflineModel() });
  }
  return chain;
}

/** A model that cannot call tools gets the turn's retrieved passages instead (retrieval.ts). */
async function* withKnowledge(provider: ModelProvider, request: GenerateRequest, knowledge: () => Promise<TurnKnowledge>): AsyncIterable<ModelEvent> {
  const { passages, note } = await knowledge();
  const grounded: GenerateRequest = { ...request, context: passages, ...(note ? { contextNote: note } : {}) };
  delete grounded.tools;
  yield* provider.stream(grounded);
}

/** A provider under its label, so the resilient chain's breakers and answeredBy use the label. */
function labelled(c: ModelCandidate, knowledge: (() => Promise<TurnKnowledge>) | undefined): ModelProvider {
  const grounded = knowledge && c.provider.callsTools === false;
  return {
    id: c.label,
    degraded: c.provider.degraded,
    stream: (request: GenerateRequest): AsyncIterable<ModelEvent> => (grounded ? withKnowledge(c.provider, request, knowledge) : c.provider.stream(request)),
  };
}

/** `knowledge`: the turn's passages, fetched when a model that cannot call tools is asked. */
export function resilientChain(chain: readonly ModelCandidate[], knowledge?: () => Promise<TurnKnowledge>): ResilientModel {
  return new ResilientModel(chain.map((c) => labelled(c, knowledge)), { firstEventTimeoutMs: FIRST_EVENT_TIMEOUT_MS });
}

/**
 * The chain to use for a turn right now. With the `inference` kill switch off (for everyone,
 * or targeted at this workspace) only the offline model answers: chat keeps working in
 * degraded mode, and every answer is flagged `degraded: true`, instead of failing.
 */
export async function liveModelChain(
  specs: readonly ModelSpec[],
  env: Pick<Env, "AI" | "FLAGS">,
  config: Config,
  workspaceId: string,
): Promise<ModelCandidate[]> {
  if (!(await capabilityOn(env.FLAGS, "inference", { id: `workspace:${workspaceId}`, workspaceId }))) {
    return [{ label: `${OFFLINE_MODEL_ID}:${OFFLINE_MODEL_ID}`, provider: new OfflineModel() }];
  }
  return modelChain(specs, env, config);
}
