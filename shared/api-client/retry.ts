// When the client waits instead of failing: a 429 or 503 that says when to come back
// (Retry-After) is retried within a budget of attempts and total wait, and requests to an
// endpoint whose RateLimit-Remaining reached 0 wait for RateLimit-Reset instead of bursting into
// refusals. A lost connection is retried only when the request is safe to send twice.

/** How long one call may keep trying; both limits count the first attempt and every wait. */
export interface RetryPolicy {
  /** Attempts in all, the first included; 1 never retries. */
  maxAttempts: number;
  /** The most one call waits in all (Retry-After, pacing, backoff), in milliseconds. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, maxWaitMs: 30_000 };

/** What a wait was for; the CLI adds these up to report time spent on rate limits. */
export interface WaitEvent {
  ms: number;
  reason: "retry-after" | "pacing" | "backoff";
  /** The status that asked for the wait (429, 503), or null for pacing and a lost connection. */
  status: number | null;
  method: string;
  path: string;
  attempt: number;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** setTimeout as a promise that rejects with the signal's reason when it is aborted. */
export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Spread added to a wait so clients refused together do not all come back in the same
 * millisecond: up to a fifth of the wait, at most a second, never earlier than the server said.
 */
export const jittered = (ms: number, random: () => number) => ms + Math.round(random() * Math.min(1000, ms / 5));

/** Exponential backoff for a lost connection: 0.5 s, 1 s, 2 s ... up to 8 s, with full jitter. */
export const backoffMs = (attempt: number, random: () => number) =>
  Math.round(Math.min(8000, 500 * 2 ** (attempt - 1)) * (0.5 + random() / 2));

/** Reads that are safe to send twice (RFC 9110 §9.2.1); a write only with an Idempotency-Key. */
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export const safeToRepeat = (method: string, headers: Record<string, string>) =>
  SAFE.has(method.toUpperCase()) || "Idempotency-Key" in headers;

/**
 * The time before which requests to one endpoint (method + path) should not be sent, learned from
 * the RateLimit-* headers of its last answer. RateLimit-Reset is in seconds from now.
 */
export class Pacer {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  observe(key: string, headers: Headers): void {
    const remaining = Number(headers.get("RateLimit-Remaining") ?? Number.NaN);
    const reset = Number(headers.get("RateLimit-Reset") ?? Number.NaN);
    if (remaining <= 0 && reset > 0) this.until.set(key, this.now() + reset * 1000);
    else if (!Number.isNaN(remaining)) this.until.delete(key);
  }

  /** Milliseconds to wait before the next request to this endpoint. */
  delay(key: string): number {
    const until = this.until.get(key);
    if (until === undefined) return 0;
    const ms = until - this.now();
    if (ms <= 0) this.until.delete(key);
    return Math.max(0, ms);
  }
}
