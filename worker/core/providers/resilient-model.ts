// Every model call goes through here: a circuit breaker per provider, retries with full-jitter
// backoff within the first-event deadline, then the next provider in the chain (the agent's
// fallbacks, then the offline model, which cannot fail). Once tokens flow, a stream that breaks,
// falls silent past the idle timeout or ends without finishing is handed to the next provider,
// told the text already sent so it continues the answer instead of repeating it; a caller that
// waits for the whole answer (`whole`) gets the next provider's complete answer instead. Which
// provider answered, whether that is degraded, and where and why it switched, is readable from
// `answeredBy` once the stream has started.
import { breakerFor, type Clock, systemClock, withTimeout } from "../resilience";
import { estimateTokens } from "../tokens";
import type { ModelPolicy } from "./deadlines";
import { ProviderError } from "./errors";
import { classifyFailure, type Fallback } from "./fallback";
import { type Opened, openStream } from "./open-stream";
import type { GenerateRequest, ModelEvent, ModelProvider } from "./types";

export interface AnsweredBy {
  provider: string;
  degraded: boolean;
  /** Providers tried first that failed, with why (`error` for logs, `fallback` for clients). */
  failures: { provider: string; error: string; fallback: Fallback }[];
  /** Why the answer is degraded (where it switched mid-answer, else the first failure, or why a degraded provider answered alone); null when it is not. */
  fallback: Fallback | null;
}

/** Why a degraded provider answers when nothing failed before it. */
const aloneReason = (provider: ModelProvider): Fallback | null =>
  provider.degraded ? { reason: provider.degradedReason ?? "no_model" } : null;

export interface ResilientModelOptions extends Partial<ModelPolicy> {
  /** Tries per provider (within its first-event deadline) before moving down the chain. */
  maxAttempts?: number;
  clock?: Clock;
  random?: () => number;
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class ResilientModel implements ModelProvider {
  readonly id: string;
  readonly degraded: boolean;
  private answered: AnsweredBy | null = null;
  private readonly clock: Clock;

  constructor(
    private readonly chain: ModelProvider[],
    private readonly opts: ResilientModelOptions = {},
  ) {
    const primary = chain[0];
    if (!primary) throw new Error("ResilientModel needs at least one provider");
    this.id = primary.id;
    this.degraded = primary.degraded;
    this.clock = opts.clock ?? systemClock;
  }

  get answeredBy(): AnsweredBy | null {
    return this.answered;
  }

  async *stream(request: GenerateRequest): AsyncIterable<ModelEvent> {
    const failures: AnsweredBy["failures"] = [];
    // The answer so far (what was yielded), and the first mid-answer switch.
    let sent = "";
    let cut: Fallback | null = null;
    let index = 0;
    while (index < this.chain.length && !this.pastDeadline()) {
      const asked = this.ask(request, failures, sent);
      const opened = await openStream(this.chain, index, asked, this.openOptions(), failures);
      if (!opened) break;
      const { provider } = opened;
      index = opened.index + 1;
      const fallback = cut ?? failures[0]?.fallback ?? aloneReason(provider);
      const degraded = provider.degraded || cut !== null || failures.length > 0;
      this.answered = { provider: provider.id, degraded, failures, fallback };
      const carried = estimateTokens(sent);
      let finished = false;
      try {
        if (this.opts.whole) {
          for (const event of await this.drain(opened)) yield event;
          return;
        }
        let step = opened.first;
        while (!step.done) {
          const event = step.value;
          if (event.type === "text") sent += event.delta;
          if (event.type === "finish") {
            finished = true;
            // The finish counts what this provider wrote; the answer also holds what the ones before it sent.
            yield { ...event, usage: { ...event.usage, outputTokens: event.usage.outputTokens + carried } };
          } else yield event;
          step = await this.next(opened, request.signal);
        }
        if (finished || request.signal?.aborted) return;
        throw new ProviderError(provider.id, "The model's stream ended without finishing");
      } catch (err) {
        opened.cancel();
        // A failure after the finish event (closing the stream) leaves a whole answer: nothing to continue.
        if (finished) return;
        if (request.signal?.aborted) throw err;
        breakerFor(`model:${provider.id}`).reportFailure(err);
        const why = this.opts.whole
          ? classifyFailure(provider.id, err)
          : { ...classifyFailure(provider.id, err), switched_at: sent.length };
        cut ??= this.opts.whole ? null : why;
        failures.push({ provider: provider.id, error: describe(err), fallback: why });
      }
    }
    const last = failures[failures.length - 1];
    const why = this.pastDeadline() ? "the turn's deadline passed" : "every model provider failed";
    throw new Error(`${why}${last ? `; last: ${last.provider}: ${last.error}` : ""}`);
  }

  private openOptions() {
    return {
      firstEventMs: this.opts.firstEventMs ?? 30_000,
      deadlineAt: this.opts.deadlineAt ?? Number.POSITIVE_INFINITY,
      hedgeDelayMs: this.opts.hedgeDelayMs ?? 0,
      breakerCooldownMs: this.opts.breakerCooldownMs ?? 30_000,
      maxAttempts: this.opts.maxAttempts ?? 3,
      clock: this.clock,
      ...(this.opts.random ? { random: this.opts.random } : {}),
    };
  }

  private pastDeadline(): boolean {
    return this.opts.deadlineAt !== undefined && this.clock.now() >= this.opts.deadlineAt;
  }

  /** The request as the next provider gets it: who failed before it, and the answer to continue. */
  private ask(request: GenerateRequest, failures: AnsweredBy["failures"], sent: string): GenerateRequest {
    const failedBefore = failures.map((f) => f.fallback);
    const told = failures.length ? { ...request, failedBefore } : request;
    return sent ? { ...told, continueFrom: sent } : told;
  }

  /** The next event, within the idle timeout and the turn's deadline. */
  private next(opened: Opened, signal: AbortSignal | undefined): Promise<IteratorResult<ModelEvent>> {
    const idle = this.opts.idleMs ?? 30_000;
    const left = Math.min(idle, (this.opts.deadlineAt ?? Number.POSITIVE_INFINITY) - this.clock.now());
    const label = left < idle ? `${opened.provider.id} answer (turn deadline)` : `${opened.provider.id} next event`;
    return withTimeout(() => opened.rest.next(), Math.max(0, left), label, signal);
  }

  /** A whole answer from one provider, or its failure (nothing of a cut answer is kept). */
  private async drain(opened: Opened): Promise<ModelEvent[]> {
    const events: ModelEvent[] = [];
    let step = opened.first;
    while (!step.done) {
      events.push(step.value);
      if (step.value.type === "finish") return events;
      step = await this.next(opened, undefined);
    }
    throw new ProviderError(opened.provider.id, "The model's stream ended without finishing");
  }
}

/** Who answered a stream: the resilient wrapper knows; a bare provider answered itself. */
export function answeredBy(model: ModelProvider): AnsweredBy {
  const bare = { provider: model.id, degraded: model.degraded, failures: [], fallback: aloneReason(model) };
  return (model instanceof ResilientModel && model.answeredBy) || bare;
}
