// Structured JSON logs: one object per line, always with the request id when there is one.
// Values under keys that look secret are replaced before anything is written.
import type { Context } from "hono";

export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /pass(word)?|secret|token|api[_-]?key|authorization|cookie|pepper/i;

function scrub(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEY.test(k) ? "[redacted]" : v;
  return out;
}

export function writeLog(level: LogLevel, event: string, fields: Record<string, unknown>, minLevel: LogLevel = "info") {
  if (RANK[level] < RANK[minLevel]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...scrub(fields) });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

interface LogContext {
  get(key: "requestId"): string | undefined;
  get(key: "config"): { LOG_LEVEL: LogLevel } | undefined;
}

/** Log from a request: adds request_id (and respects LOG_LEVEL from config). */
export function log(c: Context | LogContext, level: LogLevel, event: string, fields: Record<string, unknown> = {}) {
  const ctx = c as LogContext;
  writeLog(level, event, { request_id: ctx.get("requestId"), ...fields }, ctx.get("config")?.LOG_LEVEL ?? "info");
}
