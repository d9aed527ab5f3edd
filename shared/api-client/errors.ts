// Errors a HiveClient call can throw. The Worker answers every failure with one envelope
// (docs/architecture.md, "Error envelope"); HiveApiError is that envelope as a value, so callers
// branch on `code` and show `requestId` when asking operators to look at the logs.
import type { ErrorCode, ErrorEnvelope } from "../api-types";
import { retryAfterSeconds } from "./retry";

/** The Worker's codes, plus one for answers that are not the envelope (a proxy's HTML page). */
export type HiveErrorCode = ErrorCode | "INVALID_RESPONSE";

export class HiveApiError extends Error {
  override readonly name = "HiveApiError";
  readonly status: number;
  readonly code: HiveErrorCode;
  readonly requestId: string | null;
  readonly details: Record<string, unknown>;
  readonly timestamp: string | null;
  /** How long to wait before retrying (429, 503), when the server said so. */
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    code: HiveErrorCode;
    message: string;
    requestId?: string | null;
    details?: Record<string, unknown>;
    timestamp?: string | null;
    retryAfterSeconds?: number | null;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.details = init.details ?? {};
    this.timestamp = init.timestamp ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }
}

// Node's fetch says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND) is in `cause`.
function rootReason(err: unknown): string {
  let current = err;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (!(current instanceof Error)) return String(current);
  const code = "code" in current && typeof current.code === "string" ? current.code : null;
  return code && !current.message.includes(code) ? `${code} ${current.message}` : current.message;
}

/** The API could not be reached at all: DNS, refused connection, timeout, CORS. */
export class HiveNetworkError extends Error {
  override readonly name = "HiveNetworkError";
  readonly url: string;

  constructor(url: string, cause: unknown) {
    super(`Cannot reach ${url}: ${rootReason(cause)}`, { cause });
    this.url = url;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  if (!isRecord(body) || !isRecord(body.error)) return false;
  const e = body.error;
  return typeof e.code === "string" && typeof e.message === "string";
}

/** Builds the error for a non-2xx answer; `body` is the parsed JSON or null when it was not JSON. */
export function errorFromResponse(
  status: number,
  body: unknown,
  headerRequestId: string | null,
  retryAfter?: string | null,
): HiveApiError {
  if (isErrorEnvelope(body)) {
    const e = body.error;
    return new HiveApiError({
      status,
      code: e.code,
      message: e.message,
      requestId: e.request_id || headerRequestId,
      details: isRecord(e.details) ? e.details : {},
      timestamp: e.timestamp ?? null,
      retryAfterSeconds: retryAfterSeconds(retryAfter),
    });
  }
  return new HiveApiError({
    status,
    code: "INVALID_RESPONSE",
    message: `Unexpected HTTP ${status} answer without an error envelope`,
    requestId: headerRequestId,
  });
}
