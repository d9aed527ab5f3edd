// Errors raised by providers. Routes map them onto the API envelope: a VectorIndexError is the
// caller's fault (400/422), a ProviderError is an upstream failure (502, or 503 when retryable).

export type VectorIndexErrorCode =
  | "invalid_id"
  | "invalid_vector"
  | "dimension_mismatch"
  | "invalid_metadata"
  | "invalid_filter"
  | "invalid_namespace"
  | "id_conflict";

const CODES: ReadonlySet<string> = new Set<VectorIndexErrorCode>([
  "invalid_id",
  "invalid_vector",
  "dimension_mismatch",
  "invalid_metadata",
  "invalid_filter",
  "invalid_namespace",
  "id_conflict",
]);

export class VectorIndexError extends Error {
  constructor(
    readonly code: VectorIndexErrorCode,
    message: string,
  ) {
    // The code is also carried in the message because Durable Object RPC keeps only an error's
    // message (prefixed with its name) across the boundary; `fromRemote` reads it back.
    super(`[${code}] ${message}`);
    this.name = "VectorIndexError";
  }

  /** Rebuilds a VectorIndexError from an error that crossed an RPC boundary, if it was one. */
  static fromRemote(err: unknown): VectorIndexError | undefined {
    if (err instanceof VectorIndexError) return err;
    if (!(err instanceof Error)) return undefined;
    // Across RPC the message arrives as "VectorIndexError: [code] text".
    const match = /^(?:VectorIndexError: )?\[([a-z_]+)\] ([\s\S]*)$/.exec(err.message);
    if (!match?.[1] || !match[2] || !CODES.has(match[1])) return undefined;
    return new VectorIndexError(match[1] as VectorIndexErrorCode, match[2]);
  }
}

export class ProviderError extends Error {
  readonly provider: string;
  readonly status: number | undefined;
  /** True when trying again later may succeed (timeouts, 429, 5xx). */
  readonly retryable: boolean;
  /** True when the upstream did not answer in time (no answer, or it stopped sending). */
  readonly timedOut: boolean;

  constructor(
    provider: string,
    message: string,
    opts: { status?: number; retryable?: boolean; timedOut?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "ProviderError";
    this.provider = provider;
    this.status = opts.status;
    this.timedOut = opts.timedOut ?? false;
    this.retryable = opts.retryable ?? (opts.status === undefined || opts.status === 429 || opts.status >= 500);
  }
}
