// GET /api/traces[/:traceId]: the traces the tracer kept (worker/core/trace) for the Traces page and
// `hive traces`. Read like the audit trail (admins, read-only reviewers, keys with audit:read):
// spans carry no content, but they show which member did what, when, in which conversation.
// Traces outside any workspace (sign-in, health) are for platform admins, whose reads across
// workspaces are audited.
import { asc, eq } from "drizzle-orm";
import { auditAdminRead } from "../audit/admin-read";
import { newestFirst, toPage } from "../core/cursor";
import { traceSpans, traces } from "../core/db/schema";
import { ApiError, notFound } from "../core/errors";
import { PageQuery, type Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { traceFilters } from "./filters";
import { TraceDetail, TraceIdParams, TracePage, TraceQuery, type TraceSummary } from "./schemas";
import { spanTree } from "./tree";

const tags = ["traces"];

type TraceRow = typeof traces.$inferSelect;

const toSummary = (r: TraceRow): TraceSummary => ({
  trace_id: r.traceId,
  workspace_id: r.workspaceId,
  user_id: r.userId,
  name: r.name,
  method: r.method,
  route: r.route,
  status: r.status,
  duration_ms: r.durationMs,
  error: r.error,
  blocked: r.blocked,
  degraded: r.degraded,
  agent_id: r.agentId,
  conversation_id: r.conversationId,
  run_id: r.runId,
  span_count: r.spanCount,
  kept_because: r.keptBecause,
  started_at: new Date(r.startedAt).toISOString(),
});

/** The page key: newest first by start, then by id. */
const PAGE_KEY = { createdAt: traces.startedAt, id: traces.traceId };

export function registerTraces(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/traces",
      tags,
      summary: "Kept traces of the current workspace, newest first (admins and read-only reviewers)",
      query: PageQuery.extend(TraceQuery.shape),
      ok: [TracePage, "Trace summaries"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const f = c.req.valid("query");
      if (f.all && !(p.kind === "user" && p.platformAdmin))
        throw new ApiError("FORBIDDEN", "Only platform administrators may read every workspace's traces");
      const rows = await newestFirst(
        c.var.services.db.select().from(traces).$dynamic(),
        PAGE_KEY,
        f,
        ...traceFilters(f, f.all ? undefined : p.workspaceId),
      );
      if (f.all) await auditAdminRead(c, "admin.traces_read");
      const page = toPage(
        rows.map((r) => ({ ...r, createdAt: r.startedAt, id: r.traceId })),
        f.limit,
        toSummary,
      );
      return c.json(page, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/traces/{traceId}",
      tags,
      summary: "One trace with its spans in tree order, for the waterfall",
      params: TraceIdParams,
      ok: [TraceDetail, "The trace and its spans"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { traceId } = c.req.valid("param");
      const db = c.var.services.db;
      const [trace] = await db.select().from(traces).where(eq(traces.traceId, traceId)).limit(1);
      const own = trace?.workspaceId === p.workspaceId;
      const platformAdmin = p.kind === "user" && p.platformAdmin;
      // Another tenant's trace is answered exactly like one that does not exist.
      if (!trace || !(own || platformAdmin)) throw notFound("Trace");
      const spans = await db
        .select()
        .from(traceSpans)
        .where(eq(traceSpans.traceId, traceId))
        .orderBy(asc(traceSpans.startMs));
      if (!own)
        await auditAdminRead(c, "admin.trace_read", {
          workspaceId: trace.workspaceId,
          targetType: "trace",
          targetId: traceId,
        });
      return c.json({ ...toSummary(trace), spans: spanTree(spans, trace.startedAt) }, 200);
    },
  );
}
