// The request that streams an answer ends (for its trace segment) when the answer's headers go
// out, long before the Agent knows how the turn ends. This passes the Agent's stream through
// unchanged while watching for its last event, and tells the request's segment how the turn
// ended: a degraded, blocked or failed answer keeps the request's part of the trace, as it keeps
// the Agent's part, so a kept chat trace always has its HTTP span. The segment waits for it.
import { createParser } from "eventsource-parser";
import { activeSegment, holdSegment } from "../core/trace/tracer";
import type { ChatEvent } from "./events";

function parseDone(data: string): Extract<ChatEvent, { type: "done" }> | undefined {
  try {
    return JSON.parse(data);
  } catch {
    return undefined; // Not ours to judge: the client reads the stream as it is.
  }
}

export function traceTurnOutcome(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const segment = activeSegment();
  if (!segment) return stream;
  const parser = createParser({
    onEvent: ({ event, data }) => {
      if (event === "error") segment.marks.failed = true;
      if (event !== "done") return;
      const done = parseDone(data);
      if (done?.degraded) segment.marks.degraded = true;
      if (done?.reason === "blocked") segment.marks.blocked = true;
    },
  });
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let ended: () => void = () => undefined;
  holdSegment(new Promise<void>((resolve) => (ended = resolve)));
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          parser.feed(`${decoder.decode()}\n\n`);
          controller.close();
          ended();
          return;
        }
        parser.feed(decoder.decode(value, { stream: true }));
        controller.enqueue(value);
      } catch (err) {
        controller.error(err);
        ended();
      }
    },
    async cancel(reason) {
      ended();
      await reader.cancel(reason);
    },
  });
}
