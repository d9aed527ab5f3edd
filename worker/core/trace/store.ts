// Kept segments into D1 for the dashboard: one `traces` row per trace, merged across its
// segments (the HTTP request, each Durable Object call, each queue message), and its spans.
// Segments of one trace arrive in any order, so the row is an upsert that ORs the flags, sums
// the span counts, keeps the earliest start and takes the name, route and status from the
// segment that began the trace.
import { sql } from "drizzle-orm";
import type { Database } from "../db";
import { traceSpans, traces } from "../db/schema";
import type { KeptBecause } from "./sampling";
import { hasError, statusOf } from "./sampling";
import type { Segment, SpanRecord } from "./tracer";

/** Rows per INSERT: D1 binds at most 100 parameters per statement, a span row takes 11. */
const SPANS_PER_INSERT = 9;

const text = (v: unknown): string | null => (typeof v === "string" ? v : null);

export async function storeSegment(
  db: Database,
  segment: Segment,
  root: SpanRecord,
  entry: boolean,
  keptBecause: KeptBecause,
): Promise<void> {
  const { marks } = segment;
  const startedAt = Math.floor(root.startMs);
  const endedAt = root.startMs + root.durationMs;
  const row = {
    traceId: segment.context.traceId,
    workspaceId: marks.workspaceId ?? null,
    userId: marks.userId ?? null,
    name: root.name,
    method: text(root.attributes["http.request.method"]),
    route: text(root.attributes["http.route"]),
    status: statusOf(root) ?? null,
    durationMs: endedAt - startedAt,
    error: hasError(segment, root),
    blocked: marks.blocked ?? false,
    degraded: marks.degraded ?? false,
    agentId: marks.agentId ?? null,
    conversationId: marks.conversationId ?? null,
    runId: marks.runId ?? null,
    spanCount: segment.spans.length,
    keptBecause,
    startedAt,
  };
  // The segment that began the trace names it; a later one only fills what is still empty.
  const first = (column: string) =>
    entry
      ? sql.raw(`coalesce(excluded.${column}, traces.${column})`)
      : sql.raw(`coalesce(traces.${column}, excluded.${column})`);
  const upsert = db
    .insert(traces)
    .values(row)
    .onConflictDoUpdate({
      target: traces.traceId,
      set: {
        name: entry ? sql.raw("excluded.name") : sql.raw("traces.name"),
        workspaceId: first("workspace_id"),
        userId: first("user_id"),
        method: first("method"),
        route: first("route"),
        status: first("status"),
        agentId: sql.raw("coalesce(traces.agent_id, excluded.agent_id)"),
        conversationId: sql.raw("coalesce(traces.conversation_id, excluded.conversation_id)"),
        runId: sql.raw("coalesce(traces.run_id, excluded.run_id)"),
        error: sql.raw("max(traces.error, excluded.error)"),
        blocked: sql.raw("max(traces.blocked, excluded.blocked)"),
        degraded: sql.raw("max(traces.degraded, excluded.degraded)"),
        spanCount: sql.raw("traces.span_count + excluded.span_count"),
        keptBecause: sql.raw(
          "CASE WHEN traces.kept_because = 'sampled' THEN excluded.kept_because ELSE traces.kept_because END",
        ),
        // The trace runs from its earliest start to its latest end, whichever segment holds them.
        durationMs: sql.raw(
          "max(traces.started_at + traces.duration_ms, excluded.started_at + excluded.duration_ms)" +
            " - min(traces.started_at, excluded.started_at)",
        ),
        startedAt: sql.raw("min(traces.started_at, excluded.started_at)"),
      },
    });
  const spanRows = segment.spans.map((s) => ({
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    kind: s.kind,
    startMs: s.startMs,
    durationMs: s.durationMs,
    status: s.status,
    statusMessage: s.statusMessage ?? null,
    attributes: s.attributes,
    events: s.events.length ? s.events : null,
  }));
  const inserts = [];
  for (let i = 0; i < spanRows.length; i += SPANS_PER_INSERT) {
    // A retried flush must not fail on spans it already wrote.
    inserts.push(
      db
        .insert(traceSpans)
        .values(spanRows.slice(i, i + SPANS_PER_INSERT))
        .onConflictDoNothing(),
    );
  }
  await db.batch([upsert, ...inserts]);
}
