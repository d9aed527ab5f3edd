// A minimal Server-Sent Events reader: yields each event's `data` payload (multi-line data
// joined with "\n"), which is all Workers AI and OpenAI-compatible servers send.

export async function* readSseData(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  let complete = false;
  // Cancelling makes the pending read() resolve as done, so the loop ends instead of hanging.
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    while (true) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = buffer.split("\n");
      // The last piece may be a partial line; keep it for the next chunk unless the stream ended.
      buffer = done ? "" : (lines.pop() ?? "");
      for (const raw of lines) {
        const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
        if (line === "") {
          if (data.length) yield data.join("\n");
          data = [];
        } else if (line.startsWith("data:")) {
          data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
        }
      }
      if (done) break;
    }
    if (data.length) yield data.join("\n");
    complete = true;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // A consumer that stops early must not leave the upstream body flowing.
    if (!complete) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
