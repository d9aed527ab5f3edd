// The JSON plumbing each fake API shares: reading a request's JSON body and answering JSON or
// the Worker's error envelope with a fixed request id, so a fake states only its routes and rules.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorEnvelope } from "@hive/shared/api-types";

export const FAKE_REQUEST_ID = "req_fake123";

/** The request's JSON body; undefined when it has none. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** The request's JSON body as an object; {} when it has none or is not an object. */
export async function readObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const parsed = await readJson(req);
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

export function sendJson(res: ServerResponse, status: number, payload?: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/json", "X-Request-Id": FAKE_REQUEST_ID, ...headers });
  res.end(payload === undefined ? undefined : JSON.stringify(payload));
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorEnvelope["error"]["code"],
  message: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const envelope: ErrorEnvelope = {
    error: { code, message, details, timestamp: new Date().toISOString(), request_id: FAKE_REQUEST_ID },
  };
  sendJson(res, status, envelope, headers);
}
