// Structured JSON logs: one object per line, always with the request id when there is one, and
// the trace and span it was written in (trace_id, span_id) when it runs inside a trace.
// Values under keys that look secret are replaced before anything is written, at any depth
// (a secret nested in an error's details or a list of problems is as secret as a top-level one).
import type { Context } from "hono";
import { activeSpan } from "./trace/tracer";

export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /pass(word)?|secret|token|api[_-]?key|authorization|cookie|pepper|jwt[_-]?keys?/i;
const REDACTED = "[redacted]";
/** Deeper than any log line needs; beyond it values are dropped rather than walked. */
const MAX_DEPTH = 8;

const hasToJson = (value: object): value is { toJSON(): unknown } =>
  typeof (value as { toJSON?: unknown }).toJSON === "function";

/** A copy of `value` as JSON.stringify would see it, with secret-named fields replaced; `path` holds the objects above it (cycles). */
function scrubValue(value: unknown, depth: number, path: Set<object>): unknown {
  if (typeof value === "string") return scrubUrls(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[omitted]";
  if (hasToJson(value)) return scrubValue(value.toJSON(), depth + 1, path);
  if (path.has(value)) return "[omitted]";
  path.add(value);
  const out = Array.isArray(value)
    ? value.map((v: unknown) => scrubValue(v, depth + 1, path))
    : Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : scrubValue(v, depth + 1, path)]),
      );
  path.delete(value);
  return out;
}

/** A URL's password and its secret-named query values are secrets too (`https://u:pw@h/?token=…`). */
function scrubUrls(text: string): string {
  if (!text.includes("://")) return text;
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return raw;
    }
    if (url.password) url.password = REDACTED;
    for (const key of [...url.searchParams.keys()]) if (SECRET_KEY.test(key)) url.searchParams.set(key, REDACTED);
    return url.password || [...url.searchParams.keys()].some((k) => SECRET_KEY.test(k)) ? url.toString() : raw;
  });
}

/** A copy of any value with secret-named fields and secrets inside URLs replaced (audit details, logs). */
export function redactSecrets<T>(value: T): T {
  return scrubValue(value, 0, new Set()) as T;
}

function scrub(fields: Record<string, unknown>): Record<string, unknown> {
  return scrubValue(fields, 0, new Set()) as Record<string, unknown>;
}

export function writeLog(level: LogLevel, event: string, fields: Record<string, unknown>, minLevel: LogLevel = "info") {
  if (RANK[level] < RANK[minLevel]) return;
  const span = activeSpan();
  const trace = span ? { trace_id: span.context.traceId, span_id: span.context.spanId } : {};
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...trace, ...scrub(fields) });
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
