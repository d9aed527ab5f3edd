// OTLP/HTTP export with the JSON encoding (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
// kept segments are POSTed to {OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces, with the headers of
// OTEL_EXPORTER_OTLP_HEADERS, so any collector (Jaeger, Tempo, Honeycomb, an OTel Collector)
// receives what the dashboard shows. Ids are hex strings and times nanosecond strings, as the
// JSON mapping requires; a failed export is logged and never thrown.
import { writeLog } from "../logger";
import type { AttributeValue, SpanKind, SpanRecord } from "./tracer";

const KIND: Record<SpanKind, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const STATUS = { unset: 0, ok: 1, error: 2 } as const;
const SCOPE = { name: "liquid-hive/trace", version: "1.0.0" };
const EXPORT_TIMEOUT_MS = 10_000;

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };

function anyValue(v: AttributeValue): AnyValue {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

const keyValues = (attributes: Record<string, AttributeValue>) =>
  Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));

/** Epoch milliseconds (fractional) as the nanosecond string OTLP/JSON carries. */
const nanos = (ms: number) => (BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms % 1) * 1e6))).toString();

/** The ExportTraceServiceRequest for some spans of one service. */
export function otlpPayload(spans: readonly SpanRecord[], environment: string) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: keyValues({ "service.name": "liquid-hive", "deployment.environment.name": environment }),
        },
        scopeSpans: [
          {
            scope: SCOPE,
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: KIND[s.kind],
              startTimeUnixNano: nanos(s.startMs),
              endTimeUnixNano: nanos(s.startMs + s.durationMs),
              attributes: keyValues(s.attributes),
              events: s.events.map((e) => ({
                name: e.name,
                timeUnixNano: nanos(e.timeMs),
                attributes: keyValues(e.attributes ?? {}),
              })),
              status: {
                code: STATUS[s.status],
                ...(s.statusMessage ? { message: s.statusMessage } : {}),
              },
            })),
          },
        ],
      },
    ],
  };
}

/** `k=v,k2=v2` with URL-encoded values, as OTEL_EXPORTER_OTLP_HEADERS is specified. */
export function parseOtlpHeaders(raw: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (raw ?? "").split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim();
    let value = pair.slice(at + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not percent-encoded after all: sent as written.
    }
    if (key) headers[key] = value;
  }
  return headers;
}

export interface OtlpTarget {
  endpoint: string;
  headers: string | undefined;
  environment: string;
}

/** POSTs the spans; resolves either way (the failure is logged without the headers, which may hold a key). */
export async function exportOtlp(spans: readonly SpanRecord[], target: OtlpTarget): Promise<void> {
  const url = `${target.endpoint.replace(/\/+$/, "")}/v1/traces`;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { ...parseOtlpHeaders(target.headers), "Content-Type": "application/json" },
      body: JSON.stringify(otlpPayload(spans, target.environment)),
      signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
    });
    await res.body?.cancel();
    if (!res.ok) writeLog("warn", "otlp_export_failed", { status: res.status, spans: spans.length });
  } catch (err) {
    writeLog("warn", "otlp_export_failed", {
      error: (err instanceof Error ? err.message : String(err)).slice(0, 200),
      spans: spans.length,
    });
  }
}
