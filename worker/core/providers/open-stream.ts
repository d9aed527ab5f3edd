// Opening a model stream: walk the chain from a position until a provider produces its first
// event. Each provider gets the first-event deadline (capped by the turn's), retries with
// full-jitter backoff inside it, and its breaker counts every failure and timeout. With a hedge
// delay, a provider silent that long gets the next one started alongside: the first to answer
// is kept and the other cancelled.
import { breakerFor, CircuitOpenError, type Clock, isRetryable, retry, TimeoutError, withTimeout } from "../resilience";
import { classifyFailure, type Fallback } from "./fallback";
import type { GenerateRequest, ModelEvent, ModelProvider } from "./types";

export interface Opened {
  provider: ModelProvider;
  /** Its position in the chain. */
  index: number;
  first: IteratorResult<ModelEvent>;
  rest: AsyncIterator<ModelEvent>;
  /** Aborts the provider's request (it is being abandoned). */
  cancel(): void;
}

export interface OpenOptions {
  firstEventMs: number;
  deadlineAt: number;
  hedgeDelayMs: number;
  breakerCooldownMs: number;
  maxAttempts: number;
  clock: Clock;
  random?: () => number;
}

type Failures = { provider: string; error: string; fallback: Fallback }[];

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** An abort controller that also follows `parents`. */
function linked(...parents: (AbortSignal | undefined)[]): AbortController {
  const ctl = new AbortController();
  for (const p of parents) {
    if (p?.aborted) ctl.abort(p.reason);
    else p?.addEventListener("abort", () => ctl.abort(p.reason), { once: true });
  }
  return ctl;
}

/** One provider's stream up to its first event, under its breaker and retries; rejects when it gives up. */
async function openOne(
  provider: ModelProvider,
  index: number,
  request: GenerateRequest,
  o: OpenOptions,
  stop: AbortSignal,
): Promise<Opened> {
  const breaker = breakerFor(`model:${provider.id}`, {
    countsAsFailure: isRetryable,
    cooldownMs: o.breakerCooldownMs,
    clock: o.clock,
  });
  const started = o.clock.now();
  const budget = Math.min(o.firstEventMs, o.deadlineAt - started);
  const left = () => budget - (o.clock.now() - started);
  const label = `${provider.id} first token`;
  return retry(
    async () => {
      if (left() <= 0) throw new TimeoutError(label, Math.max(0, budget));
      const permit = breaker.acquire();
      const ctl = linked(request.signal, stop);
      const rest = provider.stream({ ...request, signal: ctl.signal })[Symbol.asyncIterator]();
      try {
        const first = await withTimeout(() => rest.next(), left(), label, stop);
        if (stop.aborted) throw stop.reason;
        permit.succeeded();
        return { provider, index, first, rest, cancel: () => ctl.abort() };
      } catch (err) {
        permit.failed(err);
        ctl.abort();
        void rest.return?.().catch(() => undefined);
        throw err;
      }
    },
    {
      maxAttempts: o.maxAttempts,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      clock: o.clock,
      ...(o.random ? { random: o.random } : {}),
      signal: stop,
      isRetryable: (err) => !(err instanceof CircuitOpenError) && isRetryable(err) && left() > 0,
    },
  );
}

/** Resolves after `ms`, or never when hedging is off. */
const after = (ms: number) => new Promise<"hedge">((resolve) => ms > 0 && setTimeout(() => resolve("hedge"), ms));

/**
 * The first provider from `from` on that starts answering; each that gives up is added to
 * `failures` (and told to the ones after it). Null when none does, or the turn's deadline passed.
 */
export async function openStream(
  chain: readonly ModelProvider[],
  from: number,
  request: GenerateRequest,
  o: OpenOptions,
  failures: Failures,
): Promise<Opened | null> {
  const told = () => (failures.length ? { ...request, failedBefore: failures.map((f) => f.fallback) } : request);
  const give = (provider: ModelProvider, err: unknown) =>
    failures.push({ provider: provider.id, error: describe(err), fallback: classifyFailure(provider.id, err) });
  for (let i = from; i < chain.length && o.clock.now() < o.deadlineAt; i++) {
    const provider = chain[i] as ModelProvider;
    const stop = new AbortController();
    const primary = openOne(provider, i, told(), o, stop.signal);
    const next = chain[i + 1];
    const first = await Promise.race([primary.catch((err: unknown) => ({ err })), after(next ? o.hedgeDelayMs : 0)]);
    if (first !== "hedge") {
      if ("err" in first) {
        give(provider, first.err);
        continue;
      }
      return first;
    }
    const hedged = await hedge(primary, stop, next as ModelProvider, i + 1, told(), o, provider);
    for (const f of hedged.failures) give(f.provider, f.err);
    if (hedged.opened) return hedged.opened;
    i++;
  }
  return null;
}

/** The primary and the next provider racing for the first event; the loser is cancelled. */
async function hedge(
  primary: Promise<Opened>,
  primaryStop: AbortController,
  next: ModelProvider,
  index: number,
  request: GenerateRequest,
  o: OpenOptions,
  slow: ModelProvider,
): Promise<{ opened: Opened | null; failures: { provider: ModelProvider; err: unknown }[] }> {
  const stop = new AbortController();
  // The hedge is told why it was started: the primary had not answered within the hedge delay.
  const why: Fallback = { reason: "timeout", model: slow.id };
  const second = openOne(
    next,
    index,
    { ...request, failedBefore: [...(request.failedBefore ?? []), why] },
    o,
    stop.signal,
  );
  const settle = (p: Promise<Opened>, provider: ModelProvider) =>
    p.then(
      (opened) => ({ provider, opened, err: null }),
      (err: unknown) => ({ provider, opened: null, err }),
    );
  const racers = [settle(primary, slow), settle(second, next)];
  const winner = await Promise.race(racers);
  if (winner.opened) {
    const loserStop = winner.provider === slow ? stop : primaryStop;
    loserStop.abort(new Error("hedge lost"));
    // A loser that opened anyway is closed; it does not count against its provider.
    void racers[winner.provider === slow ? 1 : 0]?.then((r) => r.opened?.cancel());
    const failures =
      winner.provider === next
        ? [{ provider: slow, err: new TimeoutError(`${slow.id} first token (hedged)`, o.hedgeDelayMs) }]
        : [];
    return { opened: winner.opened, failures };
  }
  const other = (await racers[winner.provider === slow ? 1 : 0]) as Awaited<(typeof racers)[number]>;
  const failures = [winner, other].filter((r) => !r.opened).map((r) => ({ provider: r.provider, err: r.err }));
  return { opened: other.opened, failures };
}
