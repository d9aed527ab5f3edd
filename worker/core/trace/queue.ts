// Queue messages carry their trace: the producer sends inside a span of kind producer and puts
// its `traceparent` in each message body; the consumer continues it (queue/consumer.ts).
import { withPropagatedSpan } from "./traceparent";

/** Runs `send` in a producer span for `count` messages to `queue`; it gets the traceparent to put in the bodies. */
export function sendTraced<T>(
  queue: string,
  count: number,
  send: (traceparent: string | undefined) => Promise<T>,
): Promise<T> {
  const attributes = {
    "messaging.system": "cloudflare_queues",
    "messaging.operation.type": "send",
    "messaging.destination.name": queue,
    "messaging.batch.message_count": count,
  };
  return withPropagatedSpan(`send ${queue}`, attributes, "producer", send);
}
