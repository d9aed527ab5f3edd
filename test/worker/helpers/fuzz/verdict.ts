// What every answer to a fuzzed request must be: never a 5xx, and every non-2xx the error
// envelope with the status its code stands for (docs/architecture.md, "Error envelope"). /v1
// answers in OpenAI's error shape and /mcp in JSON-RPC's, as their clients expect. Under
// wrangler dev other paths are the dashboard's static assets, answered before the Worker runs
// (wrangler.toml `run_worker_first`): those must only never be a 5xx.
import { ERROR_STATUS } from "@hive/shared/api-types";
import type { FuzzRequest } from "./requests";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function envelopeProblem(body: unknown, status: number): string | null {
  if (!isObject(body) || !isObject(body.error)) return "not the error envelope";
  const e = body.error;
  if (
    typeof e.code !== "string" ||
    typeof e.message !== "string" ||
    !isObject(e.details) ||
    typeof e.timestamp !== "string" ||
    typeof e.request_id !== "string"
  ) {
    return "envelope fields missing or mistyped";
  }
  if ((ERROR_STATUS as Record<string, number>)[e.code] !== status) return `code ${e.code} with status ${status}`;
  if (/\n\s+at\s/.test(e.message)) return "a stack trace in the message";
  return null;
}

/** The paths `run_worker_first` sends to the Worker. */
const WORKER_PATHS = /^\/(api|v1|mcp|agents)(\/|$)|^\/(health|ready|metrics)$/;

const isOpenAiError = (body: unknown) =>
  isObject(body) &&
  isObject(body.error) &&
  typeof body.error.message === "string" &&
  typeof body.error.type === "string";
const isJsonRpcError = (body: unknown) =>
  isObject(body) && body.jsonrpc === "2.0" && isObject(body.error) && typeof body.error.code === "number";

/** null when the answer is acceptable, else what is wrong with it. */
export function problemWith(req: FuzzRequest, status: number, contentType: string, text: string): string | null {
  if (status >= 500) return `status ${status}`;
  if (status < 300 || req.method === "HEAD") return null;
  const path = new URL(req.url, "http://fuzz.invalid").pathname;
  if (!WORKER_PATHS.test(path)) return null;
  let body: unknown;
  try {
    body = contentType.includes("json") ? JSON.parse(text) : undefined;
  } catch {
    return "a JSON content type with a body that is not JSON";
  }
  if (/^\/v1(\/|$)/.test(path) && isOpenAiError(body)) return null;
  if (path === "/mcp" && isJsonRpcError(body)) return null;
  return envelopeProblem(body, status);
}
