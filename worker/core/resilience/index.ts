// The one way outbound calls are made: breaker( retry( timeout( call ) ) ), plus a fallback
// chain that walks providers in order and reports which one answered.
import { type BreakerOptions, breakerFor } from "./breaker";
import { isRetryable } from "./errors";
import { type RetryOptions, retry, withTimeout } from "./retry";

export * from "./breaker";
export * from "./clock";
export * from "./errors";
export * from "./retry";

export interface OutboundOptions extends Omit<RetryOptions, "signal"> {
  timeoutMs?: number;
  signal?: AbortSignal;
  breaker?: BreakerOptions;
}

export function resilientCall<T>(
  provider: string,
  fn: (signal: AbortSignal) => Promise<T>,
  opts: OutboundOptions = {},
): Promise<T> {
  const breaker = breakerFor(provider, { countsAsFailure: isRetryable, ...opts.breaker });
  return breaker.run(() =>
    retry(
      (attempt) => withTimeout(fn, opts.timeoutMs ?? 15_000, `${provider} (attempt ${attempt + 1})`, opts.signal),
      opts,
    ),
  );
}

export interface FallbackStep<T> {
  name: string;
  run: () => Promise<T>;
}

export interface FallbackResult<T> {
  value: T;
  /** Which step answered. */
  provider: string;
  /** Steps that failed before it, with their error messages. */
  failures: { provider: string; error: string }[];
}

/** Tries each step in order; the first success wins. Throws the last error if all fail. */
export async function firstSuccessful<T>(steps: FallbackStep<T>[]): Promise<FallbackResult<T>> {
  const failures: FallbackResult<T>["failures"] = [];
  let lastError: unknown = new Error("no providers configured");
  for (const step of steps) {
    try {
      return { value: await step.run(), provider: step.name, failures };
    } catch (err) {
      lastError = err;
      failures.push({ provider: step.name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  throw lastError;
}
