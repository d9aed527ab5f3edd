// An agent's models as a fallback chain: its primary, its fallbacks, then the offline model
// (which cannot fail). A candidate "succeeds" once its stream yields a first event; until then
// a failure (or a timeout, through resilientCall with a breaker per provider) moves on to the
// next one. After the first event the answer is committed to that provider.
import type { ModelSpec } from "../agents/schemas";
import type { Config } from "../core/config";
import { ProviderError } from "../core/providers/errors";
import { OfflineModel, OFFLINE_MODEL_ID } from "../core/providers/offline-model";
import { OpenAiCompatibleModel } from "../core/providers/openai-compatible-model";
import { providerOverrides } from "../core/providers/overrides";
import type { GenerateRequest, ModelEvent, ModelProvider } from "../core/providers/types";
import { WorkersAiModel } from "../core/providers/workers-ai-model";
import { firstSuccessful, isRetryable, resilientCall } from "../core/resilience";
import { PacedModel, parsePacing, scriptedAllowed } from "./paced-model";

export interface ModelCandidate {
  /** "provider:model", as stored on messages and shown in usage events. */
  label: string;
  provider: ModelProvider;
  model: string;
}

export interface OpenedStream {
  candidate: ModelCandidate;
  first: IteratorResult<ModelEvent>;
  rest: AsyncIterator<ModelEvent>;
  degraded: boolean;
  failures: { provider: string; error: string }[];
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
    if (provider) chain.push({ label: `${provider.id}:${spec.id}`, provider, model: spec.id });
  });
  if (!chain.some((c) => c.provider.id === OFFLINE_MODEL_ID)) {
    chain.push({ label: `${OFFLINE_MODEL_ID}:${OFFLINE_MODEL_ID}`, provider: new OfflineModel(), model: OFFLINE_MODEL_ID });
  }
  return chain;
}

const retryable = (err: unknown) => (err instanceof ProviderError ? err.retryable : isRetryable(err));

/** Opens the first candidate that starts answering; throws the last error if none does. */
export async function openStream(chain: ModelCandidate[], request: GenerateRequest, signal: AbortSignal): Promise<OpenedStream> {
  const result = await firstSuccessful(
    chain.map((candidate) => ({
      name: candidate.label,
      run: () =>
        resilientCall(
          `model:${candidate.provider.id}`,
          async (attemptSignal) => {
            const rest = candidate.provider.stream({ ...request, model: candidate.model, signal: AbortSignal.any([signal, attemptSignal]) })[Symbol.asyncIterator]();
            return { candidate, rest, first: await rest.next() };
          },
          { timeoutMs: FIRST_EVENT_TIMEOUT_MS, maxAttempts: 2, signal, isRetryable: retryable, breaker: { countsAsFailure: retryable } },
        ),
    })),
  );
  const { candidate } = result.value;
  return { ...result.value, degraded: candidate.provider.degraded || result.failures.length > 0, failures: result.failures };
}
