// One error shape for every non-2xx answer (docs/architecture.md, "Error envelope").
// Handlers throw ApiError; `onError` renders it, then Hono's HTTPException, then anything
// unknown as a plain 500 whose details stay in the log.

import { ERROR_STATUS, type ErrorCode, type ErrorEnvelope } from "@hive/shared/api-types/errors";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import type { HonoEnv } from "./env";
import { log } from "./logger";
import type { Expect, Same } from "./same-type";
import { isStorageUnavailable, STORAGE_RETRY_AFTER_SECONDS, storageFaultMessage } from "./storage-faults";

export { ERROR_STATUS, type ErrorCode, type ErrorEnvelope };

// Every status in the shared table is one Hono can send with a JSON body.
type Status = (typeof ERROR_STATUS)[ErrorCode];
type _Statuses = Expect<Same<Status & ContentfulStatusCode, Status>>;

export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { details?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(ERROR_STATUS[code], { message, cause: opts.cause });
    this.code = code;
    this.details = opts.details ?? {};
    this.headers = opts.headers ?? {};
  }
}

export const notFound = (what: string) => new ApiError("NOT_FOUND", `${what} not found`);

/** The first row a lookup returns, or a 404 naming `what` (another tenant's id finds no row either). */
export async function firstOrNotFound<R>(rows: PromiseLike<R[]>, what: string): Promise<R> {
  const [row] = await rows;
  if (!row) throw notFound(what);
  return row;
}

/** Turns zod issues into `{ fields: [{ path, message, code }] }`. */
export function zodDetails(error: ZodError, source?: string): Record<string, unknown> {
  return {
    ...(source ? { source } : {}),
    fields: error.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code })),
  };
}

export function envelope(c: Context<HonoEnv>, code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
  const body: ErrorEnvelope = {
    error: {
      code,
      message,
      details,
      timestamp: new Date().toISOString(),
      request_id: c.get("requestId") ?? "",
    },
  };
  return c.json(body, ERROR_STATUS[code]);
}

const STATUS_CODE: Partial<Record<number, ErrorCode>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  422: "UNPROCESSABLE",
  429: "RATE_LIMITED",
  503: "UNAVAILABLE",
};

export function onError(err: Error, c: Context<HonoEnv>): Response {
  if (err instanceof ApiError) {
    const res = envelope(c, err.code, err.message, err.details);
    for (const [k, v] of Object.entries(err.headers)) res.headers.set(k, v);
    return res;
  }
  if (err instanceof HTTPException) {
    const code = STATUS_CODE[err.status] ?? (err.status >= 500 ? "INTERNAL" : "BAD_REQUEST");
    // Hono's own exceptions (body limit, bad JSON from c.req.json) carry client-safe messages.
    return envelope(c, code, err.message || code.toLowerCase().replace(/_/g, " "));
  }
  if (isStorageUnavailable(err)) {
    log(c, "warn", "storage_unavailable", { message: storageFaultMessage(err) });
    const res = envelope(c, "UNAVAILABLE", "The database is unavailable; retry shortly", {
      retry_after_seconds: STORAGE_RETRY_AFTER_SECONDS,
    });
    res.headers.set("Retry-After", String(STORAGE_RETRY_AFTER_SECONDS));
    return res;
  }
  log(c, "error", "unhandled_error", { error: err.name, message: err.message, stack: err.stack });
  return envelope(c, "INTERNAL", "Internal server error");
}
