// Timeouts and retries for outbound calls: exponential backoff with full jitter
// (delay = random(0, min(cap, base * 2^attempt))), a hard attempt cap, and only for
// failures that `isRetryable` accepts.
import { type Clock, systemClock } from "./clock";
import { isRetryable as defaultIsRetryable, TimeoutError } from "./errors";

export async function withTimeout<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  ms: number,
  label: string,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new TimeoutError(label, ms);
      controller.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onAbort);
  }
}

export interface RetryOptions {
  /** Total tries including the first. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
  random?: () => number;
  isRetryable?: (err: unknown) => boolean;
  signal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const max = Math.max(1, opts.maxAttempts ?? 3);
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const retryable = opts.isRetryable ?? defaultIsRetryable;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt + 1 >= max || !retryable(error) || opts.signal?.aborted) throw error;
      const delayMs = backoffDelay(attempt, opts.baseDelayMs ?? 100, opts.maxDelayMs ?? 2000, random);
      opts.onRetry?.({ attempt: attempt + 1, delayMs, error });
      await clock.sleep(delayMs, opts.signal);
    }
  }
}
