// What a flaky OpenAI-compatible model server answers, as a web Response, so the same faults are
// served over HTTP by the bench server (server.ts) and handed straight to the provider as a fake
// `fetch` in the workerd tests (test/worker/resilience.model.test.ts). Modes: a normal streamed
// answer, a 5xx, a hang before the first token, a stream cut half-way (closed without finishing),
// a malformed chunk, and tokens that arrive slowly.
import { Random } from "../../test/worker/helpers/fuzz/random";
import { wait } from "../../worker/core/providers/paced-model";

export const FAULT_MODES = ["ok", "5xx", "hang", "cut", "malformed", "slow"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultShape {
  /** The answer streamed, one word per chunk. */
  text: string;
  /** Between chunks (mode `slow` uses `slowMs` instead). */
  tokenDelayMs: number;
  slowMs: number;
  /** How long `hang` stays silent before answering normally (if the client is still there). */
  hangMs: number;
}

export const DEFAULT_SHAPE: FaultShape = {
  text: "The flaky server answers this question in a few plain words.",
  tokenDelayMs: 5,
  slowMs: 250,
  hangMs: 30_000,
};

const encoder = new TextEncoder();
const frame = (data: unknown) => encoder.encode(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return {
    id: "chatcmpl-fault",
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

/** The words a `cut` stream sends before it stops: the first half. */
export function cutWords(text: string): string[] {
  const words = text.match(/\s*\S+/g) ?? [];
  return words.slice(0, Math.ceil(words.length / 2));
}

/** The answer for one request in `mode`; the body stops early when `signal` aborts. */
export function faultResponse(mode: FaultMode, shape: FaultShape = DEFAULT_SHAPE, signal?: AbortSignal): Response {
  if (mode === "5xx") {
    return Response.json({ error: { message: "the flaky server failed on purpose" } }, { status: 503 });
  }
  const words = shape.text.match(/\s*\S+/g) ?? [];
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (data: unknown) => signal?.aborted || controller.enqueue(frame(data));
      if (mode === "hang") await wait(shape.hangMs, signal);
      if (mode === "malformed") {
        send("{not json");
        controller.close();
        return;
      }
      send(chunk({ role: "assistant", content: "" }));
      for (const word of mode === "cut" ? cutWords(shape.text) : words) {
        await wait(mode === "slow" ? shape.slowMs : shape.tokenDelayMs, signal);
        send(chunk({ content: word }));
      }
      if (mode !== "cut") {
        send(chunk({}, "stop"));
        send({ id: "chatcmpl-fault", object: "chat.completion.chunk", choices: [], usage: usageOf(words.length) });
        send("[DONE]");
      }
      if (!signal?.aborted) controller.close();
    },
  });
  return new Response(body, { headers: { "Content-Type": "text/event-stream" } });
}

const usageOf = (words: number) => ({ prompt_tokens: 12, completion_tokens: words, total_tokens: 12 + words });

/** Which mode the next request gets: `failRate` of them fail, spread evenly over `modes`. */
export function faultPicker(seed: number, failRate: number, modes: readonly FaultMode[]): () => FaultMode {
  // The fuzzer's seeded generator: the same seed gives the same faults in the same order.
  const random = new Random(seed);
  return () => (random.chance(failRate) && modes.length ? random.pick(modes) : "ok");
}
