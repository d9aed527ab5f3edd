// Chat against any OpenAI-compatible server (Ollama, llama.cpp, vLLM, OpenAI itself):
// `POST {base}/chat/completions` with `stream: true`, parsing the SSE chunks. Tool-call
// fragments arrive spread over many chunks keyed by `index` and are assembled before emitting.

import { readSse } from "@hive/shared/sse";
import { estimateTokens } from "../tokens";
import { traceHeaders } from "../trace/traceparent";
import { withContinuation } from "./continuation";
import { ProviderError } from "./errors";
import { citationEvents, groundMessages } from "./grounding";
import { argumentsJson, toFinishReason, toWireMessages, toWireTools } from "./openai-format";
import type { FinishReason, GenerateRequest, ModelEvent, ModelProvider, ToolCall } from "./types";
import { estimateInputTokens } from "./usage";
import { isRecord } from "./workers-ai";

export const OPENAI_COMPATIBLE_PROVIDER = "openai-compatible";

export interface OpenAiCompatibleOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  fetch?: typeof fetch;
  /** Until the response headers arrive (covers model loading on a cold local server). */
  timeoutMs?: number;
  /** Longest silence allowed between two stream chunks. */
  idleTimeoutMs?: number;
}

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

export class OpenAiCompatibleModel implements ModelProvider {
  readonly id = OPENAI_COMPATIBLE_PROVIDER;
  readonly degraded = false;
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: OpenAiCompatibleOptions) {
    // Bound so a bare global `fetch` keeps its receiver when called as a property.
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  }

  private body(request: GenerateRequest): string {
    // Workers AI ids ("@cf/...") are meaningless to this server; use the configured model instead.
    const model = request.model && !/^@(cf|hf)\//.test(request.model) ? request.model : this.options.model;
    const body: Record<string, unknown> = {
      model,
      messages: toWireMessages(groundMessages(withContinuation(request), request.context)),
      stream: true,
      stream_options: { include_usage: true },
    };
    if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.tools?.length) body.tools = toWireTools(request.tools);
    return JSON.stringify(body);
  }

  async *stream(request: GenerateRequest): AsyncIterable<ModelEvent> {
    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, ms);
    };
    const onCancel = () => controller.abort();
    request.signal?.addEventListener("abort", onCancel, { once: true });
    const estimatedInput = estimateInputTokens(request.messages, request.context);
    const cancelled: ModelEvent = {
      type: "finish",
      reason: "cancelled",
      usage: { inputTokens: estimatedInput, outputTokens: 0 },
    };
    try {
      if (request.signal?.aborted) {
        yield cancelled;
        return;
      }
      arm(this.options.timeoutMs ?? 60_000);
      let res: Response;
      try {
        res = await this.fetcher(`${this.options.baseUrl.replace(/\/+$/, "")}/chat/completions`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "text/event-stream",
            ...traceHeaders(),
            ...(this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {}),
          },
          body: this.body(request),
          signal: controller.signal,
        });
      } catch (err) {
        if (request.signal?.aborted) {
          yield cancelled;
          return;
        }
        const what = timedOut ? "timed out waiting for a response" : "could not be reached";
        throw this.failure(what, { cause: err, timedOut });
      }
      if (!res.ok || !res.body) {
        const detail = (await res.text().catch(() => "")).slice(0, 200);
        throw this.failure(`answered HTTP ${res.status}${detail ? `: ${detail}` : ""}`, { status: res.status });
      }

      let text = "";
      let finishReason: unknown;
      let done = false;
      const usage: { inputTokens?: number; outputTokens?: number } = {};
      const calls = new Map<number, PartialCall>();
      arm(this.options.idleTimeoutMs ?? 30_000);
      for await (const { data } of readSse(res.body, controller.signal)) {
        arm(this.options.idleTimeoutMs ?? 30_000);
        if (data.trim() === "[DONE]") {
          done = true;
          break;
        }
        const chunk = this.parse(data);
        if (isRecord(chunk.usage)) {
          const u = chunk.usage;
          if (typeof u.prompt_tokens === "number") usage.inputTokens = u.prompt_tokens;
          if (typeof u.completion_tokens === "number") usage.outputTokens = u.completion_tokens;
        }
        const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : undefined;
        if (!choice) continue;
        if (choice.finish_reason) finishReason = choice.finish_reason;
        const delta = isRecord(choice.delta) ? choice.delta : {};
        if (typeof delta.content === "string" && delta.content) {
          text += delta.content;
          yield { type: "text", delta: delta.content };
        }
        if (Array.isArray(delta.tool_calls)) for (const part of delta.tool_calls) this.mergeCall(calls, part);
      }
      if (request.signal?.aborted) {
        yield { ...cancelled, usage: { inputTokens: estimatedInput, outputTokens: estimateTokens(text) } };
        return;
      }
      if (timedOut) throw this.failure("stopped sending (idle timeout)", { timedOut });
      // A connection closed with neither [DONE] nor a finish reason is an answer cut short, not a short answer.
      if (!done && !finishReason) throw this.failure("closed the stream before finishing the answer");

      yield* citationEvents(text, request.context);
      const toolCalls: ToolCall[] = [...calls.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, c]) => ({ id: c.id || `call_${index}`, name: c.name, arguments: c.arguments || "{}" }));
      for (const call of toolCalls) yield { type: "tool_call", call };
      const reason: FinishReason = toFinishReason(finishReason, toolCalls.length > 0);
      yield {
        type: "finish",
        reason,
        usage: {
          inputTokens: usage.inputTokens ?? estimatedInput,
          outputTokens: usage.outputTokens ?? estimateTokens(text + toolCalls.map((c) => c.arguments).join("")),
        },
      };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onCancel);
    }
  }

  private parse(data: string): Record<string, unknown> {
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw this.failure("sent a malformed stream chunk");
    }
    if (!isRecord(chunk)) throw this.failure("sent a malformed stream chunk");
    if (isRecord(chunk.error)) throw this.failure(`reported an error: ${String(chunk.error.message ?? "unknown")}`);
    return chunk;
  }

  private mergeCall(calls: Map<number, PartialCall>, part: unknown) {
    if (!isRecord(part)) return;
    const index = typeof part.index === "number" ? part.index : calls.size;
    const call = calls.get(index) ?? { id: "", name: "", arguments: "" };
    if (typeof part.id === "string" && part.id) call.id = part.id;
    const fn = isRecord(part.function) ? part.function : {};
    // OpenAI sends the name once; some servers repeat it in every fragment.
    if (typeof fn.name === "string" && !call.name) call.name = fn.name;
    if (fn.arguments !== undefined) call.arguments += argumentsJson(fn.arguments);
    calls.set(index, call);
  }

  private failure(what: string, opts: { status?: number; timedOut?: boolean; cause?: unknown } = {}) {
    return new ProviderError(OPENAI_COMPATIBLE_PROVIDER, `The model server at ${this.options.baseUrl} ${what}`, opts);
  }
}
