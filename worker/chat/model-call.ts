// One call to the model inside the loop: open the fallback chain under the turn's deadlines, relay
// deltas as they arrive (a continuation by the next provider included), and collect what the
// answer consisted of. Cancellation is raced against every read, so a
// provider that ignores its abort signal still cannot hold the answer open.

import { writeLog } from "../core/logger";
import type { ModelPolicy } from "../core/providers/deadlines";
import type { Fallback } from "../core/providers/fallback";
import { citationFor } from "../core/providers/grounding";
import { type ModelCandidate, resilientChain } from "../core/providers/model-chain";
import type { Citation, ContextPassage, GenerateRequest, ModelEvent, ToolCall, Usage } from "../core/providers/types";
import { estimateInputTokens } from "../core/providers/usage";
import { estimateTokens } from "../core/tokens";
import { recordModelCall } from "../metrics/recorder";
import type { Release } from "../safety/stream-guard";
import { BLOCKED_OUTPUT_NOTICE, type TurnGuard } from "../safety/turn-guard";
import type { UsageMeter } from "../usage/meter";
import type { ChatEvent } from "./events";
import { emitGuardNotices } from "./guard";
import type { Retrieve, TurnKnowledge } from "./retrieval";
import { chatSpan } from "./spans";

export interface ModelCallResult {
  content: string;
  toolCalls: ToolCall[];
  citations: Citation[];
  usage: Usage;
  latencyMs: number;
  /** Milliseconds to the first text or tool call, when one arrived. */
  ttftMs?: number;
  /** "provider:model" of who answered. */
  model: string;
  /** The provider part of `model`. */
  provider: string;
  degraded: boolean;
  /** Why the answer is degraded (no model configured, switched off, or the configured one failed). */
  fallback?: Fallback;
  outcome: "stop" | "length" | "tool_calls" | "cancelled" | "error" | "blocked";
  error?: { code: string; message: string };
}

const ABORTED = Symbol("aborted");
/** Chain labels are "provider:model" (core/providers/model-chain.ts). */
const providerOf = (label: string) => label.split(":", 1)[0] ?? label;
const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

function nextOrAbort(
  it: AsyncIterator<ModelEvent>,
  signal: AbortSignal,
): Promise<IteratorResult<ModelEvent> | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
    it.next().then(
      (r) => (signal.removeEventListener("abort", onAbort), resolve(r)),
      (e: unknown) => (signal.removeEventListener("abort", onAbort), reject(e)),
    );
  });
}

/** What the turn retrieved, in rank order (evaluations score recall from it). */
function emitRetrieval({ passages }: TurnKnowledge, emit: (event: ChatEvent) => void): void {
  const found = passages.flatMap((p) =>
    p.origin ? [{ passage_id: p.id, document_id: p.origin.document_id, document_name: p.origin.document_name }] : [],
  );
  if (found.length) emit({ type: "retrieval", passages: found });
}

/** One model call under its `chat` span (spans.ts). */
export function callModel(...args: Parameters<typeof streamModelCall>): Promise<ModelCallResult> {
  const [chain, request, signal, emit, ...rest] = args;
  return chatSpan(chain[0]?.label ?? "none", request, emit, (timed) =>
    streamModelCall(chain, request, signal, timed, ...rest),
  );
}

async function streamModelCall(
  chain: ModelCandidate[],
  request: Omit<GenerateRequest, "signal" | "model">,
  signal: AbortSignal,
  emit: (event: ChatEvent) => void,
  policy: ModelPolicy,
  retrieve?: Retrieve,
  guard?: TurnGuard,
  /** Where the call's usage row goes (worker/usage/meter.ts): every outcome is reported to it. */
  meter?: Pick<UsageMeter, "record">,
): Promise<ModelCallResult> {
  const started = Date.now();
  const result: ModelCallResult = {
    content: "",
    toolCalls: [],
    citations: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    latencyMs: 0,
    model: chain[0]?.label ?? "none",
    provider: providerOf(chain[0]?.label ?? "none"),
    degraded: false,
    outcome: "error",
  };
  const finish = (outcome: ModelCallResult["outcome"]) => {
    result.outcome = outcome;
    result.latencyMs = Date.now() - started;
    meter?.record(result);
    const { usage, latencyMs, fallback, ttftMs } = result;
    recordModelCall({
      model: result.model,
      outcome,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      latencyMs,
      ...(ttftMs !== undefined ? { ttftMs } : {}),
      ...(fallback ? { fallbackReason: fallback.reason } : {}),
    });
    return result;
  };
  // A stream cut before its finish event (cancelled, or failed mid-answer) reports no usage, yet
  // the model read the prompt and wrote what arrived: estimated, so no answer is free to stop.
  const estimated = () => {
    const written = result.content + result.toolCalls.map((t) => t.name + t.arguments).join("");
    result.usage = { inputTokens: estimateInputTokens(request.messages), outputTokens: estimateTokens(written) };
  };

  let retrieved: Promise<TurnKnowledge> | undefined;
  const knowledge = retrieve && (() => (retrieved ??= retrieve(request.messages, signal)));
  // Citations name passages of the context the answering model was given: the turn's retrieval, or the caller's.
  const passages = async (): Promise<ContextPassage[]> =>
    retrieved ? (await retrieved).passages : (request.context ?? []);
  const model = resilientChain(chain, policy, knowledge);
  const stream = model.stream({ ...request, signal })[Symbol.asyncIterator]();
  let step: IteratorResult<ModelEvent> | typeof ABORTED;
  try {
    step = await nextOrAbort(stream, signal);
  } catch (err) {
    if (signal.aborted) return finish("cancelled");
    writeLog("error", "model_chain_failed", { models: chain.map((c) => c.label), error: describe(err) });
    result.error = { code: "MODEL_UNAVAILABLE", message: "No model could answer right now; try again later" };
    return finish("error");
  }
  const output = guard?.stream();
  const relay = (r: Release) => {
    if (r.verdict && guard) {
      guard.record(r.verdict, r.checked);
      emitGuardNotices(guard, emit);
    }
    if (!r.text) return;
    result.content += r.text;
    emit({ type: "token", delta: r.text });
  };
  // Passages the turn's retrieval screened are known once the chain has started.
  if (guard) emitGuardNotices(guard, emit);
  if (retrieved) emitRetrieval(await retrieved, emit);
  // Who answered; read again at the end, since a provider that fails mid-answer hands it on.
  const answered = () => {
    const by = model.answeredBy;
    if (!by) return;
    result.model = by.provider;
    result.provider = providerOf(by.provider);
    // A fallback answered, or a model that only quotes sources: either way, not the agent's own model.
    result.degraded = by.degraded;
    if (by.fallback) result.fallback = by.fallback;
  };
  answered();

  let sawFinish = false;
  try {
    while (step !== ABORTED && !step.done) {
      const event = step.value;
      if (event.type === "text" || event.type === "tool_call") result.ttftMs ??= Date.now() - started;
      if (event.type === "text") {
        if (output) {
          relay(output.push(event.delta));
          if (output.blocked) break;
        } else {
          result.content += event.delta;
          emit({ type: "token", delta: event.delta });
        }
      } else if (event.type === "tool_call") {
        result.toolCalls.push(event.call);
      } else if (event.type === "citation") {
        const context = await passages();
        const at = context.findIndex((p) => p.id === event.passageId);
        const citation = at === -1 ? null : citationFor(context[at] as ContextPassage, at + 1, event.quote);
        if (citation && !result.citations.some((c) => c.passage_id === citation.passage_id)) {
          result.citations.push(citation);
          emit({ type: "citation", ...citation });
        }
      } else {
        if (output) relay(output.end());
        if (output?.blocked) break;
        sawFinish = true;
        result.usage = event.usage;
        result.outcome = event.reason === "tool_calls" && result.toolCalls.length === 0 ? "stop" : event.reason;
      }
      step = await nextOrAbort(stream, signal);
    }
  } catch (err) {
    answered();
    // Provider messages can name internal hosts; the client gets a plain sentence, the log the detail.
    writeLog("error", "model_stream_failed", { model: result.model, error: describe(err) });
    // What the guard still held was written before the failure: checked, it goes out like the rest.
    if (output) relay(output.end());
    result.error = {
      code: "MODEL_ERROR",
      message: "The model stopped mid-answer and no other model could continue it; the partial answer is kept",
    };
    if (!sawFinish) estimated();
    return finish("error");
  }
  answered();
  if (output?.blocked) {
    // What was sent stays sent; the stored answer says why it stops there.
    void stream.return?.();
    if (!sawFinish) estimated();
    result.content += `${result.content ? "\n\n" : ""}${BLOCKED_OUTPUT_NOTICE}`;
    return finish("blocked");
  }
  if (step === ABORTED || signal.aborted) {
    void stream.return?.();
    if (output) relay(output.end());
    if (!sawFinish) estimated();
    return finish("cancelled");
  }
  if (!sawFinish) {
    result.error = { code: "MODEL_ERROR", message: "The model's stream ended without finishing" };
    return finish("error");
  }
  if (result.outcome === "error") result.error = { code: "MODEL_ERROR", message: "The model reported an error" };
  if (result.toolCalls.length > 0 && result.outcome === "stop") result.outcome = "tool_calls";
  return finish(result.outcome);
}
