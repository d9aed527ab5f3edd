// Tail sampling: once a segment is over, what it learned decides whether it is stored. Every
// trace that went wrong or was unusual is kept; of the ordinary rest, the head decision (the
// `sampled` flag: an incoming traceparent's, or our own draw at TRACE_SAMPLE_RATE) decides.
import type { Segment, SpanRecord } from "./tracer";

export type KeptBecause = "error" | "blocked" | "degraded" | "slow" | "sampled";

/** The root span's HTTP status, when the segment is a request. */
export const statusOf = (root: SpanRecord): number | undefined => {
  const status = root.attributes["http.response.status_code"];
  return typeof status === "number" ? status : undefined;
};

export const hasError = (segment: Segment, root: SpanRecord): boolean =>
  (statusOf(root) ?? 0) >= 500 || segment.spans.some((s) => s.status === "error");

/** Why this segment is kept, or null to drop it. */
export function keepDecision(segment: Segment, root: SpanRecord, slowMs: number): KeptBecause | null {
  if (segment.marks.failed || hasError(segment, root)) return "error";
  if (segment.marks.blocked) return "blocked";
  if (segment.marks.degraded) return "degraded";
  if (root.durationMs > slowMs) return "slow";
  return segment.context.sampled ? "sampled" : null;
}
