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
    /** The work failed where no span of this segment saw it (a streamed answer's error event). */
    failed?: boolean;
    workspaceId?: string;
    userId?: string;
    agentId?: string;
    conversationId?: string;
    runId?: string;
  };
  /** Work the sink waits for before it decides (a streamed answer still telling how it ends). */
  held: Promise<unknown>[];
  /** Spans that ended after the segment held MAX_SPANS_PER_SEGMENT. */
  droppedSpans?: number;
  /** TRACE_CAPTURE_CONTENT=on when the segment started: captureContent (content.ts) may write. */
  captureContent?: boolean;
}

export interface Span {
  readonly context: SpanContext;
  /** Renames the span once what it is becomes known (an HTTP root learns its route after routing). */
  updateName(name: string): void;
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

/** Spans kept per segment; beyond it spans are counted, not stored (a runaway loop must not eat memory). */
const MAX_SPANS_PER_SEGMENT = 1000;
/** Longest string attribute value kept; longer ones are cut. */
const MAX_ATTRIBUTE_CHARS = 1024;

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
// Ids come from one pooled buffer of random bytes, refilled when spent: ids need uniqueness, not
// secrecy, and one getRandomValues call per 64 ids keeps a span's cost to the record itself.
const pool = new Uint8Array(1024);
let poolAt = pool.length;
function hex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  let out = "";
  for (let i = 0; i < bytes; i++) out += HEX[pool[poolAt++] as number];
  return /[1-9a-f]/.test(out) ? out : hex(bytes);
}
export const newTraceId = () => hex(16);
export const newSpanId = () => hex(8);

/** Wall-clock milliseconds with sub-millisecond resolution where the runtime gives it. */
const nowMs = () => performance.timeOrigin + performance.now();

const bounded = (v: AttributeValue): AttributeValue =>
  typeof v === "string" && v.length > MAX_ATTRIBUTE_CHARS ? v.slice(0, MAX_ATTRIBUTE_CHARS) : v;

function clean(attributes: Attributes | undefined, into: Record<string, AttributeValue>) {
  if (!attributes) return;
  for (const k in attributes) {
    const v = attributes[k];
    if (v !== null && v !== undefined) into[k] = bounded(v);
  }
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
    updateName(newName) {
      record.name = newName;
    },
    setAttribute(key, value) {
      if (value !== null && value !== undefined) record.attributes[key] = bounded(value);
    },
    setAttributes(attrs) {
      clean(attrs, record.attributes);
    },
    addEvent(eventName, attrs) {
      record.events.push({ name: eventName, timeMs: nowMs(), ...(attrs ? { attributes: attrs } : {}) });
    },
    recordError(error) {
      if (ended) return;
      record.status = "error";
      record.statusMessage = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      record.attributes["error.type"] = error instanceof Error ? error.name : "error";
    },
    end() {
      if (ended) return;
      ended = true;
      record.durationMs = nowMs() - record.startMs;
      // The segment's root is always kept: the sink reads the trace's name and outcome from it.
      const isRoot = record.parentSpanId === (segment.context.spanId || null);
      if (isRoot || segment.spans.length < MAX_SPANS_PER_SEGMENT) segment.spans.push(record);
      else segment.droppedSpans = (segment.droppedSpans ?? 0) + 1;
    },
  };
}

/** The span the current code runs under, if any. */
export function activeSpan(): Span | undefined {
  return storage.getStore();
}

/** The segment `span` belongs to (undefined for the no-op span outside any trace). */
export function segmentOf(span: Span): Segment | undefined {
  return (span as Partial<ActiveSpan>).segment;
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
  options: { sampleRate?: number; captureContent?: boolean } = {},
): { segment: Segment; result: Promise<T> } {
  let context: SpanContext;
  if (parent) {
    context = { traceId: parent.traceId, spanId: parent.spanId, sampled: parent.sampled };
    if (parent.traceState) context.traceState = parent.traceState;
  } else {
    const traceId = newTraceId();
    // A new trace's head decision (the share kept of ordinary traces) travels in its traceparent,
    // so the Durable Objects and queue consumers it reaches keep their parts of it too.
    context = { traceId, spanId: "", sampled: sampledByRate(traceId, options.sampleRate ?? 0) };
  }
  const segment: Segment = { context, spans: [], marks: {}, held: [] };
  if (options.captureContent) segment.captureContent = true;
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

/** Deterministic in the trace id, so every segment of one trace draws the same lot. */
export function sampledByRate(traceId: string, rate: number): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  return Number.parseInt(traceId.slice(0, 8), 16) / 0x1_0000_0000 < rate;
}

/**
 * Runs a middleware-like step as a child span that covers only its own work: `fn` calls `resume`
 * to run what comes after it (the rest of the pipeline), which ends the phase's span first and runs
 * under the parent, so the handler's spans are not the phase's children. Errors thrown before
 * `resume` are the phase's; `isFailure` says which of them mark the span failed (a 401 is not).
 */
export async function tracePhase<T>(
  name: string,
  fn: (resume: <R>(downstream: () => Promise<R>) => Promise<R>) => Promise<T>,
  isFailure: (error: unknown) => boolean = () => true,
): Promise<T> {
  const parent = storage.getStore();
  if (!parent) return fn((downstream) => downstream());
  const span = makeSpan(parent.segment, name, parent.context.spanId, "internal");
  let resumed = false;
  const resume = <R>(downstream: () => Promise<R>): Promise<R> => {
    resumed = true;
    span.end();
    return storage.run(parent, downstream);
  };
  return storage.run(span, async () => {
    try {
      return await fn(resume);
    } catch (err) {
      if (!resumed) {
        if (isFailure(err)) span.recordError(err);
        else span.setAttribute("error.type", err instanceof Error ? err.name : "error");
      }
      throw err;
    } finally {
      span.end();
    }
  });
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

/**
 * Delays the sink of the segment the current code belongs to until `work` settles, so what the
 * work learns (marks set when a streamed answer ends) counts in the keep decision.
 */
export function holdSegment(work: Promise<unknown>): void {
  storage.getStore()?.segment.held.push(work);
}

/** Settles when all the work held by the segment has. */
export const segmentSettled = (segment: Segment): Promise<unknown> => Promise.allSettled(segment.held);

/** Runs `fn` outside any trace: a sink storing a segment must not add spans to it. */
export function untraced<T>(fn: () => T): T {
  return storage.exit(fn);
}

const NOOP_SPAN: Span = {
  context: { traceId: "00000000000000000000000000000000", spanId: "0000000000000000", sampled: false },
  updateName() {},
  setAttribute() {},
  setAttributes() {},
  addEvent() {},
  recordError() {},
  end() {},
};
