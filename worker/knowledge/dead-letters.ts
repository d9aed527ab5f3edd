// The dead-letter consumer: an ingest or fetch message that used up its retries lands here, and
// its document is marked `failed` with the last error the ingest handler recorded on it. A document
// that became ready meanwhile (a later message succeeded) is left alone.
import { and, eq, ne, sql } from "drizzle-orm";
import { createDb } from "../core/db";
import { documents } from "../core/db/schema";
import { writeLog } from "../core/logger";
import { recordDeadLetter } from "../metrics/recorder";
import { QueueMessage } from "../queue/messages";
import { refreshCache } from "./ingest";

export const isDeadLetterQueue = (queue: string) => queue.endsWith("-dlq");

export async function handleDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB);
  for (const msg of batch.messages) {
    // A delivery retried here (D1 was down) is still one dead letter.
    if (msg.attempts <= 1) recordDeadLetter(batch.queue);
    const parsed = QueueMessage.safeParse(msg.body);
    if (!parsed.success) {
      writeLog("error", "dead_letter_unreadable", { queue: batch.queue, id: msg.id });
      msg.ack();
      continue;
    }
    const { workspaceId, documentId, requestId } = parsed.data;
    try {
      const updated = await db
        .update(documents)
        .set({
          status: "failed",
          error: sql`coalesce(${documents.error}, 'Ingestion failed') || ' (gave up after ' || ${documents.attempts} || ' attempts)'`,
          updatedAt: Date.now(),
        })
        .where(and(eq(documents.workspaceId, workspaceId), eq(documents.id, documentId), ne(documents.status, "ready")))
        .returning({ id: documents.id });
      writeLog("warn", "ingest_dead_lettered", {
        document_id: documentId,
        workspace_id: workspaceId,
        request_id: requestId,
        marked_failed: updated.length > 0,
      });
      if (updated.length > 0) await refreshCache(env, workspaceId);
      msg.ack();
    } catch (err) {
      writeLog("error", "dead_letter_failed", {
        document_id: documentId,
        error: err instanceof Error ? err.message : String(err),
      });
      msg.retry({ delaySeconds: 30 });
    }
  }
}
