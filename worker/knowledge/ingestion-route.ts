// GET /api/knowledge-bases/:id/ingestion: what a bulk upload is doing, for people watching it
// (dashboard, `hive kb status`): documents by state, how many were sent again unchanged in the
// last hour, how many became ready in the last minute, and whether work is still in flight.
import { createRoute } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Database } from "../core/db";
import { documents } from "../core/db/schema";
import { commonErrors, jsonResponse, type Router, SIGNED_IN_SECURITY } from "../core/openapi";
import { IngestionStatus } from "./batch-schemas";
import { inKnowledgeBase } from "./document-store";
import { knowledgeBaseOf } from "./kb-access";
import { KbIdParam } from "./schemas";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

async function ingestionStatus(db: Database, workspaceId: string, kbId: string): Promise<IngestionStatus> {
  const now = Date.now();
  const count = (condition: ReturnType<typeof sql>) =>
    sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;
  const [row] = await db
    .select({
      queued: count(sql`${documents.status} = 'queued'`),
      processing: count(sql`${documents.status} = 'processing'`),
      ready: count(sql`${documents.status} = 'ready'`),
      failed: count(sql`${documents.status} = 'failed'`),
      unchanged: count(sql`${documents.unchangedAt} > ${now - HOUR_MS}`),
      // A ready document is not written again until new content arrives, so its last update is when it became ready.
      recent: count(sql`${documents.status} = 'ready' and ${documents.updatedAt} > ${now - MINUTE_MS}`),
    })
    .from(documents)
    .where(inKnowledgeBase(workspaceId, kbId));
  const counts = {
    queued: Number(row?.queued ?? 0),
    processing: Number(row?.processing ?? 0),
    ready: Number(row?.ready ?? 0),
    failed: Number(row?.failed ?? 0),
  };
  return {
    counts,
    unchanged_last_hour: Number(row?.unchanged ?? 0),
    rate_per_minute: Number(row?.recent ?? 0),
    in_flight: counts.queued + counts.processing > 0,
  };
}

export function registerIngestionRoute(app: Router) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/knowledge-bases/{id}/ingestion",
      tags: ["knowledge"],
      security: SIGNED_IN_SECURITY,
      summary:
        "Ingestion progress: documents by state, unchanged re-uploads in the last hour, documents ready per minute",
      request: { params: KbIdParam },
      responses: { 200: jsonResponse(IngestionStatus, "The knowledge base's ingestion progress"), ...commonErrors },
    }),
    async (c) => {
      const { p, db, row: kb } = await knowledgeBaseOf(c, c.req.valid("param").id);
      return c.json(await ingestionStatus(db, p.workspaceId, kb.id), 200);
    },
  );
}
