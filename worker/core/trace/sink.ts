// Where a finished segment goes: the tail-sampling decision, then D1 (the dashboard's traces)
// and, when configured, an OTLP/HTTP collector. It runs in waitUntil, after the response, and
// outside the trace it stores (its own D1 statements are not spans of it). Nothing here throws.
import type { Config } from "../config";
import { exportOtlp } from "./otlp";
import { keepDecision } from "./sampling";
import { storeSegment } from "./store";
import type { Segment } from "./tracer";

export interface FinishedSegment {
  segment: Segment;
  /** The root span's id: the span runSegment opened. */
  rootSpanId: string;
  /** The segment began the trace here (an HTTP request, a queue message): its root names the trace. */
  entry: boolean;
}

/** Hands a finished segment on; injected into the HTTP middleware by app.ts (core imports no feature). */
export type TraceSink = (env: { DB: D1Database }, config: Config, finished: FinishedSegment) => Promise<void>;

export const storeTrace: TraceSink = async (env, config, { segment, rootSpanId, entry }) => {
  const root = segment.spans.find((s) => s.spanId === rootSpanId);
  if (!root) return;
  const keptBecause = keepDecision(segment, root, config.TRACE_SLOW_MS);
  if (!keptBecause) return;
  // Spans that end after this point (a stream cancelled late) are not part of what is stored.
  const kept: Segment = { ...segment, spans: segment.spans.slice() };
  // The raw binding: its own statements are no spans of the trace they store.
  const work: Promise<unknown>[] = [storeSegment(env.DB, kept, root, entry, keptBecause, config.TRACE_BATCH_MS)];
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT) {
    work.push(
      exportOtlp(kept.spans, {
        endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
        headers: config.OTEL_EXPORTER_OTLP_HEADERS,
        environment: config.ENVIRONMENT,
      }),
    );
  }
  await Promise.all(work);
};
