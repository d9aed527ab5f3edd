// The one model factory: chat, /v1, /ready and the swarm (through the agent's turn) build their
// models here. A chain is the primary, its fallbacks, then the offline model (which cannot fail),
// run through ResilientModel (breaker per provider, retries within the first-event deadline, then
// the next provider, which also continues an answer cut midway). Each provider is built with its
// model id baked in and labelled "provider:model", so breakers, usage events and stored messages
// name the exact model that answered.
import type { Config } from "../config";
import { tracedAttempt } from "./attempt-span";
import type { ModelPolicy } from "./deadlines";
import type { ModelSpec } from "./model-spec";
import { OFFLINE_MODEL_ID, OfflineModel } from "./offline-model";
import { OpenAiCompatibleModel } from "./openai-compatible-model";
import { providerOverrides } from "./overrides";
import { PacedModel, parsePacing, scriptedAllowed } from "./paced-model";
import { ResilientModel } from "./resilient-model";
import type { ContextNote, ContextPassage, GenerateRequest, ModelEvent, ModelProvider } from "./types";
import { DEFAULT_WORKERS_AI_MODEL, WorkersAiModel } from "./workers-ai-model";

export interface ModelCandidate {
  /** "provider:model", as stored on messages and shown in usage events. */
  label: string;
  provider: ModelProvider;
}

/** A turn's retrieved passages, for a model that cannot call tools. */
export interface TurnKnowledge {
  passages: ContextPassage[];
  /** Why there are no passages. */
  note?: ContextNote;
}

type ModelEnv = Pick<Env, "AI">;
type ModelConfig = Pick<Config, "ENVIRONMENT" | "LLM_BASE_URL" | "LLM_API_KEY">;

const OFFLINE_LABEL = `${OFFLINE_MODEL_ID}:${OFFLINE_MODEL_ID}`;

/** One provider for a spec, or null when this deployment cannot serve it (nothing bound). */
function build(spec: ModelSpec, env: ModelEnv, config: ModelConfig): ModelProvider | null {
  switch (spec.provider) {
    case "offline":
      return new OfflineModel();
    case "workers-ai":
      return env.AI ? new WorkersAiModel(env.AI, spec.id) : null;
    case "openai-compatible":
      if (!config.LLM_BASE_URL) return null;
      return new OpenAiCompatibleModel({
        baseUrl: config.LLM_BASE_URL,
        model: spec.id,
        ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
      });
    case "scripted": {
      const pacing = parsePacing(spec.id);
      return pacing && scriptedAllowed(config) ? new PacedModel(pacing.tokens, pacing.intervalMs) : null;
    }
  }
}

/** Primary, fallbacks, offline; unavailable providers (nothing bound) are skipped. */
export function modelChain(specs: readonly ModelSpec[], env: ModelEnv, config: ModelConfig): ModelCandidate[] {
  const chain: ModelCandidate[] = [];
  // Tests swap the primary for a scripted model; fallbacks stay real so fallback is testable.
  const override = config.ENVIRONMENT === "test" ? providerOverrides().model : undefined;
  specs.forEach((spec, i) => {
    const provider = i === 0 && override ? override : build(spec, env, config);
    if (provider) chain.push({ label: `${provider.id}:${spec.id}`, provider });
  });
  if (!chain.some((c) => c.provider.id === OFFLINE_MODEL_ID)) {
    chain.push({ label: OFFLINE_LABEL, provider: new OfflineModel() });
  }
  return chain;
}

/** The chain when model calls are switched off (the `inference` kill switch): the offline model alone. */
export const offlineChain = (): ModelCandidate[] => [
  { label: OFFLINE_LABEL, provider: new OfflineModel("inference_off") },
];

/** A model that cannot call tools gets the turn's retrieved passages instead. */
async function* withKnowledge(
  provider: ModelProvider,
  request: GenerateRequest,
  knowledge: () => Promise<TurnKnowledge>,
): AsyncIterable<ModelEvent> {
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
    ...(c.provider.degradedReason ? { degradedReason: c.provider.degradedReason } : {}),
    stream: (request: GenerateRequest): AsyncIterable<ModelEvent> =>
      tracedAttempt(
        c.label,
        request,
        grounded ? withKnowledge(c.provider, request, knowledge) : c.provider.stream(request),
      ),
  };
}

/**
 * `policy`: the turn's deadlines (deadlines.ts); `knowledge`: the turn's passages, fetched when a
 * model that cannot call tools is asked.
 */
export function resilientChain(
  chain: readonly ModelCandidate[],
  policy: Partial<ModelPolicy>,
  knowledge?: () => Promise<TurnKnowledge>,
): ResilientModel {
  return new ResilientModel(
    chain.map((c) => labelled(c, knowledge)),
    policy,
  );
}

/**
 * The deployment's own model, for /ready (what answers a raw request here): Workers AI when
 * bound, else the configured OpenAI-compatible server, else the offline model alone.
 */
export function deploymentModel(env: ModelEnv, config: ModelConfig & Pick<Config, "LLM_MODEL">): ModelProvider {
  const spec: ModelSpec = env.AI
    ? { provider: "workers-ai", id: DEFAULT_WORKERS_AI_MODEL }
    : config.LLM_BASE_URL
      ? { provider: "openai-compatible", id: config.LLM_MODEL }
      : { provider: "offline", id: OFFLINE_MODEL_ID };
  const chain = modelChain([spec], env, config);
  return chain.length === 1 && chain[0] ? chain[0].provider : resilientChain(chain, {});
}
