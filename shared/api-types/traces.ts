// /api/traces: the kept traces of the workspace (worker/core/trace writes them) and one trace with
// its spans in tree order, for the dashboard's waterfall and `hive traces`.
import type { Page } from "./page";

export const SPAN_STATUSES = ["unset", "ok", "error"] as const;
export type SpanStatus = (typeof SPAN_STATUSES)[number];

/** `?status=` takes an exact HTTP status (404) or a class (4xx). */
export const TRACE_STATUS_PATTERN = /^[1-5](\d\d|xx)$/;

export type AttributeValue = string | number | boolean;

export interface TraceSummary {
  trace_id: string;
  /** Null for requests outside any workspace (platform admins only). */
  workspace_id: string | null;
  user_id: string | null;
  /** The root span's name, e.g. "POST /api/agents/:id/chat". */
  name: string;
  method: string | null;
  route: string | null;
  status: number | null;
  duration_ms: number;
  error: boolean;
  blocked: boolean;
  degraded: boolean;
  agent_id: string | null;
  conversation_id: string | null;
  run_id: string | null;
  span_count: number;
  /** Why the sampler kept it: error | blocked | degraded | slow | sampled. */
  kept_because: string;
  started_at: string;
}
export type TracePage = Page<TraceSummary>;

export interface TraceSpanEvent {
  name: string;
  /** Milliseconds after the trace started. */
  offset_ms: number;
  attributes: Record<string, AttributeValue>;
}

export interface TraceSpan {
  span_id: string;
  parent_span_id: string | null;
  name: string;
  /** OpenTelemetry span kind: internal | server | client | producer | consumer. */
  kind: string;
  /** Nesting level in the tree: 0 for a root. */
  depth: number;
  /** Milliseconds after the trace's first span started. */
  offset_ms: number;
  duration_ms: number;
  status: SpanStatus;
  status_message: string | null;
  /** OpenTelemetry names (`gen_ai.usage.input_tokens`, `http.route`, ...). */
  attributes: Record<string, AttributeValue>;
  events: TraceSpanEvent[];
}

/** One trace: its summary and every span, parents before children, siblings by start. */
export interface TraceDetail extends TraceSummary {
  spans: TraceSpan[];
}
