// Every model call goes through here: a circuit breaker per provider, retries with backoff for
// failures before the first event (once tokens flow, a failure ends the answer: replaying
// half an answer would duplicate it), and a fallback chain that ends with the offline model,
// so chat degrades to an extractive answer instead of failing. Which provider answered, and
// whether that answer is degraded, is readable from `answeredBy` once the stream has started.
import { breakerFor, CircuitOpenError, type Clock, isRetryable, retry, systemClock, withTimeout } from "../resilience";
import { classifyFailure, type Fallback } from "./fallback";
import type { GenerateRequest, ModelEvent, ModelProvider } from "./types";

export interface AnsweredBy {
  provider: string;
  degraded: boolean;
  /** Providers tried first that failed, with why (`error` for logs, `fallback` for clients). */
  failures: { provider: string; error: string; fallback: Fallback }[];
  /** Why the answer is degraded (the first failure, or why a degraded provider answered alone); null when it is not. */
  fallback: Fallback | null;
}

/** Why a degraded provider answers when nothing failed before it. */
const aloneReason = (provider: ModelProvider): Fallback | null =>
  provider.degraded ? { reason: provider.degradedReason ?? "no_model" } : null;

export interface ResilientModelOptions {
  /** Tries per provider before moving down the chain. */
  maxAttempts?: number;
  /** Time allowed until a provider's first event. */
  firstEventTimeoutMs?: number;
  clock?: Clock;
  random?: () => number;
}

export class ResilientModel implements ModelProvider {
  readonly id: string;
  readonly degraded: boolean;
  private answered: AnsweredBy | null = null;

  constructor(
    private readonly chain: ModelProvider[],
    private readonly opts: ResilientModelOptions = {},
  ) {
    const primary = chain[0];
    if (!primary) throw new Error("ResilientModel needs at least one provider");
    this.id = primary.id;
    this.degraded = primary.degraded;
  }

  get answeredBy(): AnsweredBy | null {
    return this.answered;
  }

  async *stream(request: GenerateRequest): AsyncIterable<ModelEvent> {
    const failures: AnsweredBy["failures"] = [];
    for (const provider of this.chain) {
      // A fallback is told who failed before it, so an extractive answer can say so.
      const asked = failures.length ? { ...request, failedBefore: failures.map((f) => f.fallback) } : request;
      const opened = await this.open(provider, asked).catch((err: unknown) => {
        const error = err instanceof Error ? err.message : String(err);
        failures.push({ provider: provider.id, error, fallback: classifyFailure(provider.id, err) });
        return null;
      });
      if (!opened) continue;
      const fallback = failures[0]?.fallback ?? aloneReason(provider);
      this.answered = { provider: provider.id, degraded: provider.degraded, failures, fallback };
      const { first, rest } = opened;
      if (first.done) return;
      yield first.value;
      while (true) {
        const next = await rest.next();
        if (next.done) return;
        yield next.value;
      }
    }
    const last = failures[failures.length - 1];
    throw new Error(`every model provider failed${last ? `; last: ${last.provider}: ${last.error}` : ""}`);
  }

  /** Starts a provider's stream and waits for its first event, under its breaker and retries. */
  private async open(provider: ModelProvider, request: GenerateRequest) {
    const breaker = breakerFor(`model:${provider.id}`, { countsAsFailure: isRetryable, clock: this.opts.clock });
    return retry(
      async () => {
        const permit = breaker.acquire();
        const iterator = provider.stream(request)[Symbol.asyncIterator]();
        try {
          const first = await withTimeout(
            () => iterator.next(),
            this.opts.firstEventTimeoutMs ?? 30_000,
            `${provider.id} first token`,
            request.signal,
          );
          permit.succeeded();
          return { first, rest: iterator };
        } catch (err) {
          permit.failed(err);
          await iterator.return?.();
          throw err;
        }
      },
      {
        maxAttempts: this.opts.maxAttempts ?? 2,
        baseDelayMs: 200,
        maxDelayMs: 2000,
        clock: this.opts.clock ?? systemClock,
        random: this.opts.random,
        signal: request.signal,
        isRetryable: (err) => !(err instanceof CircuitOpenError) && isRetryable(err),
      },
    );
  }
}

/** Who answered a stream: the resilient wrapper knows; a bare provider answered itself. */
export function answeredBy(model: ModelProvider): AnsweredBy {
  const bare = { provider: model.id, degraded: model.degraded, failures: [], fallback: aloneReason(model) };
  return (model instanceof ResilientModel && model.answeredBy) || bare;
}
