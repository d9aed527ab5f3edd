// Kept segments into D1 for the dashboard: one `traces` row per trace, merged across its
// segments (the HTTP request, each Durable Object call, each queue message), and its spans.
// Segments of one trace arrive in any order, so the row is an upsert that ORs the flags, sums
// the span counts, keeps the earliest start and takes the name, route and status from the
// segment that began the trace (?18). Plain prepared statements, not the query builder, and the
// writes of all segments finishing within COALESCE_MS go to D1 as one batch: under load, many
// requests share one write.
import { writeLog } from "../logger";
import type { KeptBecause } from "./sampling";
import { hasError, statusOf } from "./sampling";
import type { Segment, SpanRecord } from "./tracer";

const UPSERT = `INSERT INTO traces (trace_id, workspace_id, user_id, name, method, route, status, duration_ms, error,
  blocked, degraded, agent_id, conversation_id, run_id, span_count, kept_because, started_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
ON CONFLICT (trace_id) DO UPDATE SET
  name = CASE WHEN ?18 THEN excluded.name ELSE traces.name END,
  workspace_id = CASE WHEN ?18 THEN coalesce(excluded.workspace_id, traces.workspace_id) ELSE coalesce(traces.workspace_id, excluded.workspace_id) END,
  user_id = CASE WHEN ?18 THEN coalesce(excluded.user_id, traces.user_id) ELSE coalesce(traces.user_id, excluded.user_id) END,
  method = CASE WHEN ?18 THEN coalesce(excluded.method, traces.method) ELSE coalesce(traces.method, excluded.method) END,
  route = CASE WHEN ?18 THEN coalesce(excluded.route, traces.route) ELSE coalesce(traces.route, excluded.route) END,
  status = CASE WHEN ?18 THEN coalesce(excluded.status, traces.status) ELSE coalesce(traces.status, excluded.status) END,
  agent_id = coalesce(traces.agent_id, excluded.agent_id),
  conversation_id = coalesce(traces.conversation_id, excluded.conversation_id),
  run_id = coalesce(traces.run_id, excluded.run_id),
  error = max(traces.error, excluded.error),
  blocked = max(traces.blocked, excluded.blocked),
  degraded = max(traces.degraded, excluded.degraded),
  span_count = traces.span_count + excluded.span_count,
  kept_because = CASE WHEN traces.kept_because = 'sampled' THEN excluded.kept_because ELSE traces.kept_because END,
  duration_ms = max(traces.started_at + traces.duration_ms, excluded.started_at + excluded.duration_ms)
    - min(traces.started_at, excluded.started_at),
  started_at = min(traces.started_at, excluded.started_at)`;

const SPAN_COLUMNS = 11;
/** Rows per INSERT: D1 binds at most 100 parameters per statement. */
const SPANS_PER_INSERT = Math.floor(100 / SPAN_COLUMNS);
const ROW = `(${Array.from({ length: SPAN_COLUMNS }, () => "?").join(", ")})`;
const INSERT_SPANS = Array.from(
  { length: SPANS_PER_INSERT },
  (
    _,
    i,
  ) => `INSERT OR IGNORE INTO trace_spans (trace_id, span_id, parent_span_id, name, kind, start_ms, duration_ms, status,
  status_message, attributes, events) VALUES ${Array.from({ length: i + 1 }, () => ROW).join(", ")}`,
);

const text = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** The trace row's upsert for one kept segment. */
function upsert(d1: D1Database, segment: Segment, root: SpanRecord, entry: boolean, keptBecause: KeptBecause) {
  const { marks } = segment;
  const startedAt = Math.floor(root.startMs);
  return d1
    .prepare(UPSERT)
    .bind(
      segment.context.traceId,
      marks.workspaceId ?? null,
      marks.userId ?? null,
      root.name,
      text(root.attributes["http.request.method"]),
      text(root.attributes["http.route"]),
      statusOf(root) ?? null,
      root.startMs + root.durationMs - startedAt,
      hasError(segment, root) ? 1 : 0,
      marks.blocked ? 1 : 0,
      marks.degraded ? 1 : 0,
      marks.agentId ?? null,
      marks.conversationId ?? null,
      marks.runId ?? null,
      segment.spans.length,
      keptBecause,
      startedAt,
      entry ? 1 : 0,
    );
}

/** One span's trace_spans values, in SPAN_COLUMNS order. */
const spanValues = (s: SpanRecord): unknown[] => [
  s.traceId,
  s.spanId,
  s.parentSpanId,
  s.name,
  s.kind,
  s.startMs,
  s.durationMs,
  s.status,
  s.statusMessage ?? null,
  JSON.stringify(s.attributes),
  s.events.length ? JSON.stringify(s.events) : null,
];

/** Statements per D1 batch; a window that fills one is written at once. */
const MAX_BATCH = 100;

/** The rows of the segments finishing within one window: trace upserts, and span rows pooled into shared INSERTs. */
interface Batch {
  upserts: D1PreparedStatement[];
  spans: unknown[][];
  written: Promise<void>;
  sent?: Promise<void>;
}
const pending = new Map<D1Database, Batch>();

/** Statements the batch holds so far (its span rows as the INSERTs they become). */
const size = (batch: Batch) => batch.upserts.length + Math.ceil(batch.spans.length / SPANS_PER_INSERT);

function spanInserts(d1: D1Database, spans: unknown[][]): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (let i = 0; i < spans.length; i += SPANS_PER_INSERT) {
    const rows = spans.slice(i, i + SPANS_PER_INSERT);
    out.push(d1.prepare(INSERT_SPANS[rows.length - 1] as string).bind(...rows.flat()));
  }
  return out;
}

/** Writes the batch (once) and closes it to new rows; a failure is logged, never thrown. */
function send(d1: D1Database, batch: Batch): Promise<void> {
  if (pending.get(d1) === batch) pending.delete(d1);
  batch.sent ??= (async () => {
    let all: D1PreparedStatement[];
    try {
      all = [...batch.upserts, ...spanInserts(d1, batch.spans)];
    } catch (err) {
      return storeFailed(err, batch.upserts.length);
    }
    for (let i = 0; i < all.length; i += MAX_BATCH) {
      try {
        await d1.batch(all.slice(i, i + MAX_BATCH));
      } catch (err) {
        storeFailed(err, Math.min(MAX_BATCH, all.length - i));
      }
    }
  })();
  return batch.sent;
}

function storeFailed(err: unknown, statements?: number): void {
  writeLog("warn", "trace_store_failed", {
    error: (err instanceof Error ? err.message : String(err)).slice(0, 200),
    ...(statements === undefined ? {} : { statements }),
  });
}

/** Queues the segment's rows; resolves once they are written (or the failure logged). */
export function storeSegment(
  d1: D1Database,
  segment: Segment,
  root: SpanRecord,
  entry: boolean,
  keptBecause: KeptBecause,
  /**
   * How long the batch waits for other segments to share it (TRACE_BATCH_MS). Each D1 batch costs
   * far more than the rows in it (one round trip, one transaction): at 10 kept traces a second, a
   * 20 ms window wrote each alone and cost the traced instance 15-25% of its throughput.
   */
  windowMs: number,
): Promise<void> {
  let row: D1PreparedStatement;
  try {
    row = upsert(d1, segment, root, entry, keptBecause);
  } catch (err) {
    // No usable D1 binding (a misconfigured environment): the trace is lost, the request is not.
    storeFailed(err);
    return Promise.resolve();
  }
  let batch = pending.get(d1);
  if (!batch) {
    const opened: Batch = { upserts: [], spans: [], written: Promise.resolve() };
    opened.written = new Promise((resolve) => setTimeout(resolve, windowMs)).then(() => send(d1, opened));
    pending.set(d1, opened);
    batch = opened;
  }
  batch.upserts.push(row);
  for (const span of segment.spans) batch.spans.push(spanValues(span));
  // A full window is written now, by this request; the ones waiting on it resolve when it is.
  if (size(batch) >= MAX_BATCH) void send(d1, batch);
  return batch.written;
}
