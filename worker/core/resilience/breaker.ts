// A circuit breaker per provider: closed → open after `failureThreshold` consecutive failures;
// open rejects at once until `cooldownMs` passes; then half-open lets `halfOpenProbes` calls
// through: a success closes it, a failure opens it again for another cool-down.
import { type Clock, systemClock } from "./clock";
import { CircuitOpenError } from "./errors";

export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerOptions {
  failureThreshold?: number;
  cooldownMs?: number;
  halfOpenProbes?: number;
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
}

export class CircuitBreaker {
  private state: BreakerState = "closed";
  private failures = 0;
  private openedAt: number | null = null;
  private probesInFlight = 0;
  private readonly threshold: number;
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

  snapshot(): BreakerSnapshot {
    const state = this.current;
    return {
      name: this.name,
      state,
      failures: this.failures,
      opened_at: this.openedAt,
      retry_after_ms: this.retryAfterMs(),
    };
  }

  private retryAfterMs(): number {
    if (this.openedAt === null || this.state === "closed") return 0;
    return Math.max(0, this.cooldownMs - (this.clock.now() - this.openedAt));
  }

  private onSuccess() {
    this.state = "closed";
    this.failures = 0;
    this.openedAt = null;
    this.probesInFlight = 0;
  }

  private onFailure() {
    this.failures++;
    if (this.state === "half_open" || this.failures >= this.threshold) {
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
