// A Server-Sent Events reader for fetch responses (the chat answer is a POST, which
// EventSource cannot send). Runs in browsers, Node and Workers: it only needs a ReadableStream
// and TextDecoder. Follows the WHATWG event-stream parsing rules the Worker relies on:
// `event:` names the event, `data:` lines join with "\n", a blank line dispatches, `:` is a comment.

export interface SseMessage {
  /** The `event:` field, "message" when absent. */
  event: string;
  data: string;
  id: string | null;
}

export async function* readSse(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // Cancelling makes a pending read() resolve as done, so an aborted consumer never hangs.
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  let buffer = "";
  let event = "";
  let data: string[] = [];
  let id: string | null = null;
  let finished = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // A chunk ending in "\r" may be half of a "\r\n"; hold it back so it is not read as two line ends.
      const held = !done && buffer.endsWith("\r") ? "\r" : "";
      const lines = (held ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
      // The last piece may be half a line; keep it unless the stream is over.
      buffer = done ? "" : (lines.pop() ?? "") + held;
      for (const line of lines) {
        if (line === "") {
          if (data.length) yield { event: event || "message", data: data.join("\n"), id };
          event = "";
          data = [];
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
        else if (field === "id") id = value;
      }
      if (done) break;
    }
    // A stream cut off without its blank line still delivers what it completed.
    if (data.length) yield { event: event || "message", data: data.join("\n"), id };
    finished = true;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // A consumer that stops early must not leave the response body flowing.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
