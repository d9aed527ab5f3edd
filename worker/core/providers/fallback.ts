// Why an answer is degraded, as data and as the sentence the offline model opens with: no language
// model is configured, model calls are switched off (the `inference` kill switch), or the
// configured model failed — with its HTTP status, by timing out, or with its circuit open after
// repeated failures. Chat's `usage` events carry it so the API, dashboard and CLI can show it.
import type { AnswerFallback, FallbackReason } from "@hive/shared/api-types/chat";
import { CircuitOpenError, TimeoutError } from "../resilience";
import { ProviderError } from "./errors";

export { FALLBACK_REASONS, type FallbackReason } from "@hive/shared/api-types/chat";
export type Fallback = AnswerFallback;

/** How a provider in the chain failed before its first event; never the upstream's own words. */
export function classifyFailure(model: string, err: unknown): Fallback {
  if (err instanceof CircuitOpenError) return { reason: "circuit_open", model };
  const timedOut = err instanceof TimeoutError || (err instanceof ProviderError && err.timedOut);
  if (timedOut) return { reason: "timeout", model };
  const status = err instanceof ProviderError ? err.status : undefined;
  return { reason: "model_failed", model, ...(status !== undefined ? { status } : {}) };
}

const whatHappened = (f: Fallback): string => {
  switch (f.reason) {
    case "timeout":
      return "timed out before answering";
    case "circuit_open":
      return "is paused after repeated failures (circuit open)";
    default:
      return f.status !== undefined ? `failed to answer (HTTP ${f.status})` : "failed to answer";
  }
};

/** What the offline model says where it takes over an answer the agent's model left unfinished. */
export function continuationSentence(cut: Fallback): string {
  const how = cut.reason === "timeout" ? "stopped sending" : "failed";
  return (
    `[The agent's model (${cut.model ?? "unknown"}) ${how} mid-answer, so the built-in offline model continues; ` +
    "it can only quote the agent's sources.]"
  );
}

/** The opening sentence of an answer the offline model gives instead of `failed` (or alone). */
export function fallbackSentence(failed: readonly Fallback[], alone: FallbackReason = "no_model"): string {
  const [only] = failed;
  if (only && failed.length === 1) {
    return (
      `The agent's model (${only.model}) ${whatHappened(only)}, so the built-in offline model is answering instead; ` +
      "it can only quote the agent's sources."
    );
  }
  if (failed.length > 1) {
    const each = failed.map((f) => `${f.model} ${whatHappened(f)}`).join("; ");
    return (
      `The agent's models failed (${each}), so the built-in offline model is answering instead; ` +
      "it can only quote the agent's sources."
    );
  }
  if (alone === "inference_off") {
    return (
      "Model calls are switched off for this workspace right now (the inference kill switch), " +
      "so I can only quote the agent's sources."
    );
  }
  return "No language model is configured for this agent, so I can only quote its sources.";
}
