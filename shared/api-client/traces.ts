// GET /api/traces[/:id]: kept traces, newest first, and one trace with its spans in tree order
// (workspace admins, read-only reviewers, keys with audit:read).
import type { TraceDetail, TracePage } from "../api-types/traces";
import { ApiCalls } from "./calls";
import { type PageParams, segment } from "./query";
import type { CallOptions } from "./transport";

export type { TraceDetail, TracePage, TraceSpan, TraceSpanEvent, TraceSummary } from "../api-types/traces";
export { TRACE_STATUS_PATTERN } from "../api-types/traces";

export interface TraceFilters {
  /** The route pattern, e.g. `/api/agents/:id/chat`. */
  route?: string;
  /** An exact HTTP status (`404`) or a class (`4xx`). */
  status?: string;
  min_duration_ms?: number;
  max_duration_ms?: number;
  agent_id?: string;
  conversation_id?: string;
  run_id?: string;
  /** Only traces with an error. */
  errors?: boolean;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
  /** Platform admins: every workspace, and traces outside any workspace. */
  all?: boolean;
}

export class TracesApi extends ApiCalls {
  list(filters: TraceFilters & PageParams = {}, opts?: CallOptions): Promise<TracePage> {
    return this.read<TracePage>(
      "/api/traces",
      { ...filters, errors: filters.errors || undefined, all: filters.all || undefined },
      opts,
    );
  }

  get(traceId: string, opts?: CallOptions): Promise<TraceDetail> {
    return this.read<TraceDetail>(`/api/traces/${segment(traceId)}`, {}, opts);
  }
}
