// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header that carries a
// trace across process boundaries: HTTP in and out, Durable Object RPC arguments, queue messages.
import { type Attributes, activeSpan, type SpanContext, type SpanKind, withSpan } from "./tracer";

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = /^0+$/;

/** The context a valid `traceparent` names; undefined for anything malformed (a new trace starts). */
export function parseTraceparent(
  header: string | null | undefined,
  traceState?: string | null,
): SpanContext | undefined {
  if (!header) return undefined;
  const m = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m as unknown as [string, string, string, string, string, string?];
  if (version === "ff" || (version === "00" && rest)) return undefined;
  if (ZERO_TRACE.test(traceId) || ZERO_TRACE.test(spanId)) return undefined;
  const sampled = (Number.parseInt(flags, 16) & 1) === 1;
  return { traceId, spanId, sampled, ...(traceState ? { traceState: traceState.slice(0, 512) } : {}) };
}

export function formatTraceparent(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.sampled ? "01" : "00"}`;
}

/** The active span's `traceparent`, to hand to a Durable Object, a queue message or a fetch. */
export function currentTraceparent(): string | undefined {
  const span = activeSpan();
  return span && /[1-9a-f]/.test(span.context.traceId) ? formatTraceparent(span.context) : undefined;
}

/** Headers that carry the active trace to another service (`{}` outside a trace). */
export function traceHeaders(): Record<string, string> {
  const span = activeSpan();
  const traceparent = currentTraceparent();
  if (!span || !traceparent) return {};
  return span.context.traceState ? { traceparent, tracestate: span.context.traceState } : { traceparent };
}

/**
 * Runs `fn` in a span of `kind` whose traceparent it gets, to carry to the other side (a Durable
 * Object's input, a queue message's body), where the trace goes on.
 */
export function withPropagatedSpan<T>(
  name: string,
  attributes: Attributes,
  kind: SpanKind,
  fn: (traceparent: string | undefined) => Promise<T>,
): Promise<T> {
  return withSpan(name, attributes, () => fn(currentTraceparent()), kind);
}
