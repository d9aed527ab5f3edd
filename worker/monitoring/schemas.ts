// Response and query shapes for GET /api/monitoring (types shared with the dashboard).

import type * as api from "@hive/shared/api-types/monitoring";
import { MONITORING_WINDOWS } from "@hive/shared/api-types/monitoring";
import { z } from "@hono/zod-openapi";
import { inQuery } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";

export const MonitoringQuery = z.object({
  window: z.enum(MONITORING_WINDOWS).default("1h").openapi(inQuery("window", "last hour, day or week")),
  agent_id: z.string().min(1).max(64).optional().openapi(inQuery("agent_id", "only this agent's traffic")),
});

const figures = {
  requests: z.number().int(),
  errors: z.number().int(),
  error_rate: z.number().nullable(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  model_calls: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cost_usd: z.number(),
};

const MonitoringFigures = z.object(figures).openapi("MonitoringFigures");
const MonitoringPoint = z.object({ t: z.string(), ...figures }).openapi("MonitoringPoint");
const MonitoringAgentRow = z
  .object({ agent_id: z.string(), name: z.string(), ...figures })
  .openapi("MonitoringAgentRow");
const MonitoringModelRow = z
  .object({
    provider: z.string(),
    model: z.string(),
    calls: z.number().int(),
    errors: z.number().int(),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cost_usd: z.number(),
    avg_latency_ms: z.number().nullable(),
  })
  .openapi("MonitoringModelRow");

export const MonitoringResponse = z
  .object({
    window: z.enum(MONITORING_WINDOWS),
    bucket_ms: z.number().int(),
    from: z.string(),
    to: z.string(),
    agent_id: z.string().nullable(),
    totals: MonitoringFigures,
    series: z.array(MonitoringPoint),
    agents: z.array(MonitoringAgentRow),
    models: z.array(MonitoringModelRow),
  })
  .openapi("MonitoringResponse");
export type MonitoringResponse = z.infer<typeof MonitoringResponse>;

// The types clients import from shared/api-types are exactly what these schemas return.
type _Checks = [Expect<Same<MonitoringResponse, api.MonitoringResponse>>];
