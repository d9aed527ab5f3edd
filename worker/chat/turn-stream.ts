// The byte stream an answer is written to (returned over RPC to the Worker, which hands it to
// the client as SSE), plus the same events broadcast to the conversation's WebSocket clients.
// If the HTTP client goes away the answer still runs to the end and is stored; only the
// stream stops being written.
import { type ChatEvent, sseFrame } from "./events";

export class TurnStream {
  readonly readable: ReadableStream<Uint8Array>;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private open = true;

  constructor(
    private readonly broadcast: (message: string) => void,
    private readonly conversationId: string,
    /** Called after each event has been written out. */
    private readonly afterEmit: (event: ChatEvent) => void = () => undefined,
  ) {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    this.readable = readable;
    this.writer = writable.getWriter();
  }

  readonly emit = (event: ChatEvent): void => {
    if (this.open) this.writer.write(sseFrame(event)).catch(() => (this.open = false));
    this.broadcast(JSON.stringify({ type: "lh_chat_event", conversation_id: this.conversationId, event }));
    this.afterEmit(event);
  };

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.writer.close().catch(() => undefined);
  }
}
