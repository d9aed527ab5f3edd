// Which failures are worth retrying. Client errors (4xx other than 408/429) never are: the
// same request would fail the same way.

export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
  constructor(
    readonly label: string,
    readonly ms: number,
  ) {
    super(`${label} timed out after ${ms} ms`);
  }
}

export class CircuitOpenError extends Error {
  override readonly name = "CircuitOpenError";
  constructor(
    readonly provider: string,
    readonly retryAfterMs: number,
  ) {
    super(`${provider} is unavailable (circuit open)`);
  }
}

/** An upstream HTTP failure, with the status so retry policy can judge it. */
export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  constructor(
    readonly provider: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof CircuitOpenError) return false;
  if (err instanceof TimeoutError) return true;
  if (err instanceof UpstreamError) return err.status === 408 || err.status === 429 || err.status >= 500;
  if (err instanceof DOMException && err.name === "AbortError") return false;
  // Provider errors say for themselves (ProviderError.retryable).
  if (err instanceof Error && "retryable" in err && typeof err.retryable === "boolean") return err.retryable;
  // fetch() network failures surface as TypeError.
  return err instanceof TypeError;
}
