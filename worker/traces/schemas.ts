// Response and query shapes of GET /api/traces[/:traceId] (types shared with the dashboard and CLI).
import type * as api from "@hive/shared/api-types/traces";
import { SPAN_STATUSES, TRACE_STATUS_PATTERN } from "@hive/shared/api-types/traces";
import { z } from "@hono/zod-openapi";
import { inQuery, page, switchQuery } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";

const Attributes = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const summaryShape = {
  trace_id: z.string(),
  workspace_id: z.string().nullable(),
  user_id: z.string().nullable(),
  name: z.string(),
  method: z.string().nullable(),
  route: z.string().nullable(),
  status: z.number().int().nullable(),
  duration_ms: z.number(),
  error: z.boolean(),
  blocked: z.boolean(),
  degraded: z.boolean(),
  agent_id: z.string().nullable(),
  conversation_id: z.string().nullable(),
  run_id: z.string().nullable(),
  span_count: z.number().int(),
  kept_because: z.string(),
  started_at: z.string(),
};

export const TraceSummary = z.object(summaryShape).openapi("TraceSummary");
export type TraceSummary = z.infer<typeof TraceSummary>;

export const TracePage = page(TraceSummary).openapi("TracePage");

const TraceSpanEvent = z.object({ name: z.string(), offset_ms: z.number(), attributes: Attributes });

export const TraceSpan = z
  .object({
    span_id: z.string(),
    parent_span_id: z.string().nullable(),
    name: z.string(),
    kind: z.string(),
    depth: z.number().int(),
    offset_ms: z.number(),
    duration_ms: z.number(),
    status: z.enum(SPAN_STATUSES),
    status_message: z.string().nullable(),
    attributes: Attributes,
    events: z.array(TraceSpanEvent),
  })
  .openapi("TraceSpan");
export type TraceSpan = z.infer<typeof TraceSpan>;

export const TraceDetail = z.object({ ...summaryShape, spans: z.array(TraceSpan) }).openapi("TraceDetail");

export const TraceIdParams = z.object({
  traceId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "traceId", in: "path" }, example: "4bf92f3577b34da6a3ce929d0e0e4736" }),
});

const id = (name: string, description: string) =>
  z.string().min(1).max(64).optional().openapi(inQuery(name, description));
const millis = (name: string, description: string) =>
  z.coerce.number().min(0).max(86_400_000).optional().openapi(inQuery(name, description));

export const TraceQuery = z.object({
  route: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi(inQuery("route", "the route pattern, e.g. /api/agents/:id/chat")),
  status: z
    .string()
    .regex(TRACE_STATUS_PATTERN, "an HTTP status like 404 or a class like 4xx")
    .optional()
    .openapi(inQuery("status", "exact HTTP status (404) or class (2xx, 4xx, 5xx)")),
  min_duration_ms: millis("min_duration_ms", "at least this long"),
  max_duration_ms: millis("max_duration_ms", "at most this long"),
  agent_id: id("agent_id", "traces of this agent"),
  conversation_id: id("conversation_id", "traces of this conversation"),
  run_id: id("run_id", "traces of this swarm run"),
  errors: switchQuery("errors", "only traces with an error"),
  from: z.iso.datetime({ offset: true }).optional().openapi(inQuery("from", "started at or after, ISO 8601")),
  to: z.iso.datetime({ offset: true }).optional().openapi(inQuery("to", "started before, ISO 8601")),
  all: switchQuery("all", "platform admins: every workspace, and traces outside any workspace"),
});

type _Checks = [
  Expect<Same<TraceSummary, api.TraceSummary>>,
  Expect<Same<TraceSpan, api.TraceSpan>>,
  Expect<Same<z.infer<typeof TraceDetail>, api.TraceDetail>>,
];
