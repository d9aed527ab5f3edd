// Route-level schemas of /api/swarm (path, query, responses). The run request and records are
// defined once in shared/swarm-protocol, which the dashboard and the CLI import.

import { RUN_STATUSES } from "@hive/shared/swarm-protocol";
import { z } from "@hono/zod-openapi";
import { idParams, inQuery, PageQuery } from "../core/openapi";

export const RunIdParam = idParams("run_3kT9aZ");

export const RunListQuery = PageQuery.extend({ status: z.enum(RUN_STATUSES).optional().openapi(inQuery("status")) });

export const RunSocketQuery = z.object({
  token: z
    .string()
    .max(2048)
    .optional()
    .openapi({
      param: { name: "token", in: "query" },
      description: "From POST /api/swarm/runs/:id/socket-token; or send the session cookie",
    }),
});
