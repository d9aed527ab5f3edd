// Queue consumer: validates each message, dispatches it by type, and acks or retries it
// individually so one bad message never holds back (or re-runs) the rest of the batch. Each
// message is a segment of the trace that sent it (kind consumer), or of a new one.
import { getConfig } from "../core/config";
import { writeLog } from "../core/logger";
import { inSegment } from "../core/trace/segment";
import { activeSegment, activeSpan } from "../core/trace/tracer";
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

/** Where the trace segments are flushed; without one (a unit test) they are flushed unawaited. */
type WaitUntil = Pick<ExecutionContext, "waitUntil">;
const unawaited: WaitUntil = { waitUntil: () => undefined };

export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx: WaitUntil = unawaited): Promise<void> {
  const config = getConfig(env);
  const host = { env, config, waitUntil: (work: Promise<unknown>) => ctx.waitUntil(work) };
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
    const segment = {
      name: `process ${batch.queue}`,
      kind: "consumer" as const,
      traceparent: message.traceparent,
      attributes: {
        "messaging.system": "cloudflare_queues",
        "messaging.operation.type": "process",
        "messaging.destination.name": batch.queue,
        "messaging.message.id": msg.id,
        "messaging.message.type": message.type,
        "messaging.delivery.attempt": msg.attempts,
      },
    };
    await inSegment(host, segment, async () => {
      const marks = activeSegment()?.marks;
      if (marks) marks.workspaceId = message.workspaceId;
      try {
        await handler(message, env, msg.attempts);
        writeLog("info", "queue_message_done", fields);
        msg.ack();
        recordQueueMessage(batch.queue, message.type, "done");
      } catch (err) {
        activeSpan()?.recordError(err);
        writeLog("warn", "queue_message_failed", {
          ...fields,
          error: err instanceof Error ? err.message : String(err),
        });
        msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
        recordQueueMessage(batch.queue, message.type, "retried");
      }
    });
  }
}
