// Test doubles for the providers: a model that plays back a script, and scripted upstream
// bodies (SSE) for the Workers AI and OpenAI-compatible parsers.
import type { GenerateRequest, ModelEvent, ModelProvider } from "../../../worker/core/providers/types";

export interface ScriptOptions {
  /** Wait this long before each event, to exercise streaming and cancellation. */
  delayMs?: number;
  id?: string;
  degraded?: boolean;
}

type Script = ModelEvent[] | ((request: GenerateRequest) => ModelEvent[]);

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Emits the given events in order. Records every request it receives, and stops with a
 * "cancelled" finish as soon as the request's signal aborts, like a real provider.
 */
export class ScriptedModel implements ModelProvider {
  readonly id: string;
  readonly degraded: boolean;
  readonly requests: GenerateRequest[] = [];

  constructor(
    private readonly script: Script,
    private readonly options: ScriptOptions = {},
  ) {
    this.id = options.id ?? "scripted";
    this.degraded = options.degraded ?? false;
  }

  async *stream(request: GenerateRequest): AsyncIterable<ModelEvent> {
    this.requests.push(request);
    const events = typeof this.script === "function" ? this.script(request) : this.script;
    let outputTokens = 0;
    for (const event of events) {
      if (this.options.delayMs) await sleep(this.options.delayMs, request.signal);
      if (request.signal?.aborted) {
        yield { type: "finish", reason: "cancelled", usage: { inputTokens: 0, outputTokens } };
        return;
      }
      if (event.type === "text") outputTokens++;
      yield event;
    }
  }
}

/** A script that streams `text` word by word and finishes normally. */
export function textScript(text: string, usage = { inputTokens: 10, outputTokens: 0 }): ModelEvent[] {
  const deltas = text.match(/\s*\S+/g) ?? [];
  return [
    ...deltas.map((delta): ModelEvent => ({ type: "text", delta })),
    { type: "finish", reason: "stop", usage: { ...usage, outputTokens: usage.outputTokens || deltas.length } },
  ];
}

/** A byte stream delivering `chunks` one read at a time (chunk edges may split lines). */
export function byteStream(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(encoder.encode(chunk));
    },
  });
}

/** `data: <json>\n\n` for each payload, then `data: [DONE]`. */
export function sseEvents(payloads: unknown[], done = true): string[] {
  return [...payloads.map((p) => `data: ${JSON.stringify(p)}\n\n`), ...(done ? ["data: [DONE]\n\n"] : [])];
}
