// Each provider attempt in a model chain (a retry, a hedge, the next fallback, a continuation)
// as a child span of the call's `chat` span, so a trace shows which providers were tried, how
// long each took to fail and which one answered. Untraced code gets the stream untouched.
import { activeSpan, startSpan } from "../trace/tracer";
import type { GenerateRequest, ModelEvent } from "./types";

type Ending = "finished" | "ended" | "error" | "abandoned" | "cancelled";

export function tracedAttempt(
  label: string,
  request: GenerateRequest,
  stream: AsyncIterable<ModelEvent>,
): AsyncIterable<ModelEvent> {
  if (!activeSpan()) return stream;
  const at = label.indexOf(":");
  return (async function* () {
    const span = startSpan(
      `chat.attempt ${label}`,
      {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": at === -1 ? label : label.slice(0, at),
        "gen_ai.request.model": at === -1 ? label : label.slice(at + 1),
        "liquid_hive.continuation": request.continueFrom !== undefined,
      },
      "client",
    );
    let open = true;
    const close = (ending: Ending) => {
      if (!open) return;
      open = false;
      span.setAttribute("liquid_hive.attempt.ending", ending);
      span.end();
    };
    // An attempt abandoned for another (a hedge lost, a timeout) is aborted, not always returned.
    const onAbort = () => close("cancelled");
    request.signal?.addEventListener("abort", onAbort, { once: true });
    let ending: Ending = "abandoned";
    try {
      for await (const event of stream) {
        if (event.type === "finish") {
          ending = "finished";
          span.setAttributes({
            "gen_ai.usage.input_tokens": event.usage.inputTokens,
            "gen_ai.usage.output_tokens": event.usage.outputTokens,
          });
        }
        yield event;
      }
      if (ending !== "finished") ending = "ended";
    } catch (err) {
      ending = "error";
      if (open) span.recordError(err);
      throw err;
    } finally {
      request.signal?.removeEventListener("abort", onAbort);
      close(ending);
    }
  })();
}
