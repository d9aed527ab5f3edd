// The platform's tracer: spans kept in memory for the length of one request, one Durable Object
// call or one queue batch (a "segment" of a trace), then handed to a sink that decides what to
// keep and where it goes (D1 for the dashboard, an OTLP/HTTP collector when configured).
// The active span travels with the async context (node:async_hooks' AsyncLocalStorage, available
// under nodejs_compat), so code deep in a feature starts child spans without passing anything.
// Across a boundary (Durable Object RPC, queue message, outgoing fetch) the context is carried
// explicitly as a W3C `traceparent` string: see traceparent.ts.
import { AsyncLocalStorage } from "node:async_hooks";

export type SpanKind = "internal" | "server" | "client" | "producer" | "consumer";
export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue | null | undefined>;

export interface SpanContext {
  /** 32 lower-case hex digits. */
  traceId: string;
  /** 16 lower-case hex digits. */
  spanId: string;
  /** The head sampling decision carried by `traceparent` (tail rules in the sink may still keep it). */
  sampled: boolean;
  traceState?: string;
}

export interface SpanEvent {
  name: string;
  timeMs: number;
  attributes?: Record<string, AttributeValue>;
}

/** A finished span as sinks receive it. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanKind;
  /** Epoch milliseconds, sub-millisecond precision. */
  startMs: number;
  durationMs: number;
  status: "unset" | "ok" | "error";
  statusMessage?: string;
  attributes: Record<string, AttributeValue>;
  events: SpanEvent[];
}

/** The spans of one segment of a trace, and what the segment learned about the whole. */
export interface Segment {
  context: SpanContext;
  spans: SpanRecord[];
  /** Set by features as they learn them (a blocked turn, a degraded answer, the agent); read by the sink. */
  marks: {
    blocked?: boolean;
    degraded?: boolean;
    workspaceId?: string;
    userId?: string;
    agentId?: string;
    conversationId?: string;
    runId?: string;
  };
}

export interface Span {
  readonly context: SpanContext;
  setAttribute(key: string, value: AttributeValue | null | undefined): void;
  setAttributes(attributes: Attributes): void;
  addEvent(name: string, attributes?: Record<string, AttributeValue>): void;
  /** Marks the span failed, with the error's name and message (never its stack in attributes). */
  recordError(error: unknown): void;
  end(): void;
}

interface ActiveSpan extends Span {
  readonly segment: Segment;
}

const storage = new AsyncLocalStorage<ActiveSpan>();

const hex = (bytes: number) =>
  [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
export const newTraceId = () => hex(16);
export const newSpanId = () => hex(8);

/** Wall-clock milliseconds with sub-millisecond resolution where the runtime gives it. */
const nowMs = () => performance.timeOrigin + performance.now();

function clean(attributes: Attributes | undefined, into: Record<string, AttributeValue>) {
  if (!attributes) return;
  for (const [k, v] of Object.entries(attributes)) if (v !== null && v !== undefined) into[k] = v;
}

function makeSpan(
  segment: Segment,
  name: string,
  parentSpanId: string | null,
  kind: SpanKind,
  attributes?: Attributes,
  context?: SpanContext,
): ActiveSpan {
  const record: SpanRecord = {
    traceId: segment.context.traceId,
    spanId: context?.spanId ?? newSpanId(),
    parentSpanId,
    name,
    kind,
    startMs: nowMs(),
    durationMs: 0,
    status: "unset",
    attributes: {},
    events: [],
  };
  clean(attributes, record.attributes);
  let ended = false;
  return {
    segment,
    context: { ...segment.context, spanId: record.spanId },
    setAttribute(key, value) {
      if (value !== null && value !== undefined) record.attributes[key] = value;
    },
    setAttributes(attrs) {
      clean(attrs, record.attributes);
    },
    addEvent(eventName, attrs) {
      record.events.push({ name: eventName, timeMs: nowMs(), ...(attrs ? { attributes: attrs } : {}) });
    },
    recordError(error) {
      record.status = "error";
      record.statusMessage = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      record.attributes["error.type"] = error instanceof Error ? error.name : "error";
    },
    end() {
      if (ended) return;
      ended = true;
      record.durationMs = nowMs() - record.startMs;
      segment.spans.push(record);
    },
  };
}

/** The span the current code runs under, if any. */
export function activeSpan(): Span | undefined {
  return storage.getStore();
}

/** The segment the current code belongs to (for features to set marks), if any. */
export function activeSegment(): Segment | undefined {
  return storage.getStore()?.segment;
}

/**
 * Runs `fn` as a new segment's root span: a continuation of `parent` (from a traceparent) or a new
 * trace. The caller hands `segment` to its sink once `fn` settles (see startSegment's users).
 */
export function runSegment<T>(
  name: string,
  kind: SpanKind,
  parent: SpanContext | undefined,
  attributes: Attributes | undefined,
  fn: (span: Span, segment: Segment) => Promise<T>,
): { segment: Segment; result: Promise<T> } {
  const segment: Segment = {
    context: parent
      ? { traceId: parent.traceId, spanId: parent.spanId, sampled: parent.sampled, traceState: parent.traceState }
      : { traceId: newTraceId(), spanId: "", sampled: false },
    spans: [],
    marks: {},
  };
  const root = makeSpan(segment, name, parent?.spanId ?? null, kind, attributes);
  const result = storage.run(root, async () => {
    try {
      return await fn(root, segment);
    } catch (err) {
      root.recordError(err);
      throw err;
    } finally {
      root.end();
    }
  });
  return { segment, result };
}

/**
 * Runs `fn` in a child span of the active one; errors thrown are recorded on it and rethrown.
 * Without an active span (no segment: a unit test, a background task) `fn` still runs, untraced.
 */
export async function withSpan<T>(
  name: string,
  attributes: Attributes | undefined,
  fn: (span: Span) => Promise<T> | T,
  kind: SpanKind = "internal",
): Promise<T> {
  const parent = storage.getStore();
  if (!parent) return fn(NOOP_SPAN);
  const span = makeSpan(parent.segment, name, parent.context.spanId, kind, attributes);
  return storage.run(span, async () => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordError(err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** A span whose end the caller controls (streams): it is not made active; end it exactly once. */
export function startSpan(name: string, attributes?: Attributes, kind: SpanKind = "internal"): Span {
  const parent = storage.getStore();
  if (!parent) return NOOP_SPAN;
  return makeSpan(parent.segment, name, parent.context.spanId, kind, attributes);
}

const NOOP_SPAN: Span = {
  context: { traceId: "00000000000000000000000000000000", spanId: "0000000000000000", sampled: false },
  setAttribute() {},
  setAttributes() {},
  addEvent() {},
  recordError() {},
  end() {},
};
