// Scheduled re-fetch (the Cron Trigger in wrangler.toml): every URL document of a knowledge base
// with a `refetch_interval_hours`, last checked longer ago than that, gets a conditional re-fetch
// message. A page still due at the next run is queued again, which is harmless: the handler is
// idempotent and a page that has not changed costs one 304.
import type { z } from "zod";
import { writeLog } from "../core/logger";
import type { FetchDocumentMessage } from "../queue/messages";

/** Per run; what does not fit waits for the next one. */
const MAX_PER_RUN = 1_000;
/** Queue.sendBatch takes at most 100 messages. */
const SEND_BATCH = 100;

export async function enqueueDueRefetches(env: Env, now: number): Promise<number> {
  const due = await env.DB.prepare(
    `SELECT d.workspace_id AS workspaceId, d.id AS documentId
     FROM documents d JOIN knowledge_bases k ON k.id = d.knowledge_base_id AND k.workspace_id = d.workspace_id
     WHERE k.refetch_interval_hours IS NOT NULL AND d.source_url IS NOT NULL AND d.checked_at IS NOT NULL
       AND d.checked_at <= ?1 - k.refetch_interval_hours * 3600000
     ORDER BY d.checked_at LIMIT ?2`,
  )
    .bind(now, MAX_PER_RUN)
    .all<{ workspaceId: string; documentId: string }>();
  const requestId = `cron_${now}`;
  for (let i = 0; i < due.results.length; i += SEND_BATCH) {
    await env.INGEST_QUEUE.sendBatch(
      due.results.slice(i, i + SEND_BATCH).map((d) => {
        const body: z.infer<typeof FetchDocumentMessage> = {
          type: "fetch_document",
          v: 1,
          ...d,
          requestId,
          refetch: true,
        };
        return { body };
      }),
    );
  }
  writeLog("info", "refetch_scheduled", { documents: due.results.length, request_id: requestId });
  return due.results.length;
}
