// The slice of the Workers AI binding the providers use. `env.AI` satisfies it; tests pass a
// fake with a `run` method.
import { traceHeaders } from "../trace/traceparent";
import { ProviderError } from "./errors";

export interface AiRunner {
  run(model: string, inputs: Record<string, unknown>, options?: { extraHeaders?: object }): Promise<unknown>;
}

export const WORKERS_AI_PROVIDER = "workers-ai";

/** Calls `run`, turning a thrown binding error into a ProviderError that routes can map. */
export async function runAi(ai: AiRunner, model: string, inputs: Record<string, unknown>): Promise<unknown> {
  try {
    // The active trace rides along to the model server as its traceparent header.
    const extraHeaders = traceHeaders();
    return await (extraHeaders.traceparent ? ai.run(model, inputs, { extraHeaders }) : ai.run(model, inputs));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // The binding only reports errors as text ("AiError: 5007: No such model", "3040: Capacity
    // temporarily exceeded"); retry only what reads as transient, never a bad model or input.
    const transient = /capacity|upstream|timed? ?out|rate.?limit|temporar|unavailable|overloaded|network/i.test(
      message,
    );
    throw new ProviderError(WORKERS_AI_PROVIDER, `Workers AI (${model}) failed: ${message}`, {
      retryable: transient,
      cause: err,
    });
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
