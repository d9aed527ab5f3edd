// Queue consumer: validates each message, dispatches it by type, and acks or retries it
// individually so one bad message never holds back (or re-runs) the rest of the batch.
import { writeLog } from "../core/logger";
import { recordQueueMessage } from "../metrics/recorder";
import { QueueMessage, type QueueMessageType } from "./messages";

export type QueueHandler<T extends QueueMessageType = QueueMessageType> = (
  message: Extract<QueueMessage, { type: T }>,
  env: Env,
  attempt: number,
) => Promise<void>;

const handlers = new Map<QueueMessageType, QueueHandler>();

export function registerQueueHandler<T extends QueueMessageType>(type: T, handler: QueueHandler<T>) {
  handlers.set(type, handler as unknown as QueueHandler);
}

const backoffSeconds = (attempt: number) => Math.min(300, 2 ** attempt * 5);

export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = QueueMessage.safeParse(msg.body);
    if (!parsed.success) {
      // Malformed messages can never succeed: drop them loudly rather than retry forever.
      writeLog("error", "queue_message_rejected", {
        queue: batch.queue,
        id: msg.id,
        issues: parsed.error.issues.length,
      });
      msg.ack();
      recordQueueMessage(batch.queue, "unknown", "rejected");
      continue;
    }
    const message = parsed.data;
    const handler = handlers.get(message.type);
    const fields = {
      queue: batch.queue,
      id: msg.id,
      type: message.type,
      attempt: msg.attempts,
      request_id: message.requestId,
    };
    if (!handler) {
      writeLog("warn", "queue_no_handler", fields);
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      continue;
    }
    try {
      await handler(message, env, msg.attempts);
      writeLog("info", "queue_message_done", fields);
      msg.ack();
      recordQueueMessage(batch.queue, message.type, "done");
    } catch (err) {
      writeLog("warn", "queue_message_failed", { ...fields, error: err instanceof Error ? err.message : String(err) });
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
      recordQueueMessage(batch.queue, message.type, "retried");
    }
  }
}
