// The list filters of GET /api/traces as SQL conditions: the tenant first, then each query filter
// that was given. A status is exact (404) or a class (4xx: 400 to 499).

import type { z } from "@hono/zod-openapi";
import { and, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import { traces } from "../core/db/schema";
import { matching, within } from "../core/filters";
import type { TraceQuery } from "./schemas";

type Filters = z.output<typeof TraceQuery>;

function byStatus(status: string | undefined): SQL | undefined {
  if (!status) return undefined;
  if (!status.endsWith("xx")) return eq(traces.status, Number(status));
  const floor = Number(status[0]) * 100;
  return and(gte(traces.status, floor), lt(traces.status, floor + 100));
}

/** `workspaceId` undefined: every workspace and the traces outside any (platform admins' `?all=true`). */
export const traceFilters = (f: Filters, workspaceId: string | undefined): (SQL | undefined)[] => [
  workspaceId === undefined ? undefined : eq(traces.workspaceId, workspaceId),
  byStatus(f.status),
  f.errors ? eq(traces.error, true) : undefined,
  f.min_duration_ms === undefined ? undefined : gte(traces.durationMs, f.min_duration_ms),
  f.max_duration_ms === undefined ? undefined : lte(traces.durationMs, f.max_duration_ms),
  ...matching([
    [traces.route, f.route],
    [traces.agentId, f.agent_id],
    [traces.conversationId, f.conversation_id],
    [traces.runId, f.run_id],
  ]),
  ...within(traces.startedAt, f.from, f.to),
];
