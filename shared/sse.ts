// The one Server-Sent Events reader, on eventsource-parser (the WHATWG event-stream rules:
// `event:` names the event, `data:` lines join with "\n", a blank line dispatches, `:` is a
// comment). Read by the API client (a chat answer is a POST, which EventSource cannot send) and
// by the Worker's model providers (Workers AI and OpenAI-compatible streams). Runs in browsers,
// Node and Workers: it needs only a ReadableStream and TextDecoder.
import { createParser } from "eventsource-parser";

export interface SseMessage {
  /** The `event:` field, "message" when absent. */
  event: string;
  data: string;
  /** The last event id the stream set, as EventSource keeps it. */
  id: string | null;
}

export async function* readSse(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // Cancelling makes a pending read() resolve as done, so an aborted consumer never hangs.
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  const parsed: SseMessage[] = [];
  let id: string | null = null;
  const parser = createParser({
    onEvent: (m) => {
      id = m.id ?? id;
      parsed.push({ event: m.event ?? "message", data: m.data, id });
    },
  });
  let finished = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      // A stream cut off without its blank line still delivers what it completed.
      parser.feed(done ? `${decoder.decode()}\n\n` : decoder.decode(value, { stream: true }));
      yield* parsed.splice(0);
      if (done) break;
    }
    finished = true;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // A consumer that stops early must not leave the response body flowing.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
