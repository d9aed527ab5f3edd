// A circuit breaker per provider: closed → open after `failureThreshold` consecutive failures, or
// when at least `minRequests` calls in the last `windowMs` failed at `failureRate` or more (a
// provider failing every other call never strings five failures together, yet needs resting);
// open rejects at once until `cooldownMs` passes; then half-open lets `halfOpenProbes` calls
// through: a success closes it (with a fresh window), a failure opens it again for another cool-down.
import { type Clock, systemClock } from "./clock";
import { CircuitOpenError } from "./errors";

export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerOptions {
  failureThreshold?: number;
  cooldownMs?: number;
  halfOpenProbes?: number;
  /** Share of failed calls in the window (0-1) that opens the breaker. */
  failureRate?: number;
  /** Calls the window must hold before its failure rate counts. */
  minRequests?: number;
  windowMs?: number;
  clock?: Clock;
  /** Failures that say nothing about the provider's health (e.g. a 400) do not count. */
  countsAsFailure?: (err: unknown) => boolean;
}

export interface BreakerSnapshot {
  name: string;
  state: BreakerState;
  failures: number;
  opened_at: number | null;
  retry_after_ms: number;
  /** Failed share of the calls in the sliding window (0 when it is empty). */
  failure_rate: number;
  window_requests: number;
}

export class CircuitBreaker {
  private state: BreakerState = "closed";
  private failures = 0;
  private openedAt: number | null = null;
  private probesInFlight = 0;
  /** Outcomes in the sliding window, oldest first. */
  private window: { at: number; failed: boolean }[] = [];
  private readonly threshold: number;
  private readonly rate: number;
  private readonly minRequests: number;
  private readonly windowMs: number;
  private readonly cooldownMs: number;
  private readonly probes: number;
  private readonly clock: Clock;
  private readonly countsAsFailure: (err: unknown) => boolean;

  constructor(
    readonly name: string,
    opts: BreakerOptions = {},
  ) {
    this.threshold = opts.failureThreshold ?? 5;
    this.cooldownMs = opts.cooldownMs ?? 30_000;
    this.probes = opts.halfOpenProbes ?? 1;
    this.rate = opts.failureRate ?? 0.5;
    this.minRequests = opts.minRequests ?? 10;
    this.windowMs = opts.windowMs ?? 60_000;
    this.clock = opts.clock ?? systemClock;
    this.countsAsFailure = opts.countsAsFailure ?? (() => true);
  }

  get current(): BreakerState {
    if (this.state === "open" && this.openedAt !== null && this.clock.now() - this.openedAt >= this.cooldownMs) {
      this.state = "half_open";
      this.probesInFlight = 0;
    }
    return this.state;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const permit = this.acquire();
    try {
      const result = await fn();
      permit.succeeded();
      return result;
    } catch (err) {
      permit.failed(err);
      throw err;
    }
  }

  /**
   * Manual form of `run` for work that is not one promise (a model stream: success is the
   * first token). Throws CircuitOpenError when the call may not go ahead.
   */
  acquire(): { succeeded(): void; failed(err: unknown): void } {
    const state = this.current;
    if (state === "open" || (state === "half_open" && this.probesInFlight >= this.probes)) {
      throw new CircuitOpenError(this.name, this.retryAfterMs());
    }
    if (state === "half_open") this.probesInFlight++;
    let settled = false;
    return {
      succeeded: () => {
        if (settled) return;
        settled = true;
        this.onSuccess();
      },
      failed: (err) => {
        if (settled) return;
        settled = true;
        if (this.countsAsFailure(err)) this.onFailure();
        else if (state === "half_open") this.probesInFlight--;
      },
    };
  }

  /** A failure found after the call was judged a success (a stream cut after its first token). */
  reportFailure(err: unknown): void {
    if (this.countsAsFailure(err)) this.onFailure();
  }

  snapshot(): BreakerSnapshot {
    const state = this.current;
    const window = this.recent();
    const failed = window.filter((o) => o.failed).length;
    return {
      name: this.name,
      state,
      failures: this.failures,
      opened_at: this.openedAt,
      retry_after_ms: this.retryAfterMs(),
      failure_rate: window.length ? failed / window.length : 0,
      window_requests: window.length,
    };
  }

  private recent() {
    const since = this.clock.now() - this.windowMs;
    while (this.window[0] && this.window[0].at < since) this.window.shift();
    return this.window;
  }

  private rateTripped(): boolean {
    const window = this.recent();
    return window.length >= this.minRequests && window.filter((o) => o.failed).length / window.length >= this.rate;
  }

  private retryAfterMs(): number {
    if (this.openedAt === null || this.state === "closed") return 0;
    return Math.max(0, this.cooldownMs - (this.clock.now() - this.openedAt));
  }

  private onSuccess() {
    // A probe that succeeds starts a fresh window: the failures that opened it are history.
    if (this.state === "half_open") this.window = [];
    this.window.push({ at: this.clock.now(), failed: false });
    this.state = "closed";
    this.failures = 0;
    this.openedAt = null;
    this.probesInFlight = 0;
  }

  private onFailure() {
    this.failures++;
    this.window.push({ at: this.clock.now(), failed: true });
    if (this.state === "half_open" || this.failures >= this.threshold || this.rateTripped()) {
      this.state = "open";
      this.openedAt = this.clock.now();
      this.probesInFlight = 0;
    }
  }
}

/** Breakers live per isolate, one per provider name. */
const registry = new Map<string, CircuitBreaker>();

export function breakerFor(name: string, opts?: BreakerOptions): CircuitBreaker {
  let b = registry.get(name);
  if (!b) {
    b = new CircuitBreaker(name, opts);
    registry.set(name, b);
  }
  return b;
}

export const breakerSnapshots = (): BreakerSnapshot[] => [...registry.values()].map((b) => b.snapshot());
