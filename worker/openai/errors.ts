// /v1 speaks OpenAI's error shape, `{"error":{"message","type","param","code"}}`, so OpenAI
// clients raise their usual exceptions. Registered ahead of authentication: whatever produced
// the envelope (auth, validation, rate limits, handlers), it is rewritten on the way out.
import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../core/env";
import type { ErrorEnvelope } from "../core/errors";
import type { OpenAiError } from "./schemas";

const TYPE_BY_STATUS: Record<number, string> = {
  400: "invalid_request_error",
  401: "invalid_request_error",
  403: "permission_error",
  404: "invalid_request_error",
  405: "invalid_request_error",
  409: "invalid_request_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
};

const CODE_BY_STATUS: Record<number, string> = {
  401: "invalid_api_key",
  403: "insufficient_permissions",
  404: "not_found",
  409: "conflict",
  413: "request_too_large",
  429: "rate_limit_exceeded",
};

export function toOpenAiError(status: number, envelope: ErrorEnvelope["error"]): OpenAiError {
  const details = envelope.details ?? {};
  const fields = Array.isArray(details.fields) ? (details.fields as { path?: unknown }[]) : [];
  const firstPath = typeof fields[0]?.path === "string" && fields[0].path ? fields[0].path : null;
  return {
    error: {
      message: envelope.message,
      type: TYPE_BY_STATUS[status] ?? (status >= 500 ? "server_error" : "invalid_request_error"),
      param: typeof details.param === "string" ? details.param : firstPath,
      code: typeof details.openai_code === "string" ? details.openai_code : (CODE_BY_STATUS[status] ?? null),
    },
  };
}

export const openAiErrors: MiddlewareHandler<HonoEnv> = async (c, next) => {
  await next();
  const res = c.res;
  if (res.status < 400 || !(res.headers.get("Content-Type") ?? "").includes("application/json")) return;
  const body = await res
    .clone()
    .json<Partial<ErrorEnvelope>>()
    .catch(() => null);
  if (!body?.error || typeof body.error.message !== "string") return;
  const headers = new Headers(res.headers);
  headers.set("X-Request-Id", body.error.request_id ?? c.var.requestId ?? "");
  headers.delete("Content-Length");
  c.res = new Response(JSON.stringify(toOpenAiError(res.status, body.error)), { status: res.status, headers });
};
