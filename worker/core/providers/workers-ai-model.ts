// Chat over the Workers AI binding. Plain chat streams (`stream: true` answers an SSE body of
// `data: {"response": "..."}` lines ending in `data: [DONE]`); a request with tools runs in
// non-stream mode, because tool calls arrive whole only in the final result.

import { readSse } from "@hive/shared/sse";
import { randomString } from "../ids";
import { estimateTokens } from "../tokens";
import { withContinuation } from "./continuation";
import { ProviderError } from "./errors";
import { citationEvents, groundMessages } from "./grounding";
import { argumentsJson, toFinishReason, toWireMessages, toWireTools } from "./openai-format";
import type { GenerateRequest, ModelEvent, ModelProvider, ToolCall, Usage } from "./types";
import { estimateInputTokens } from "./usage";
import { type AiRunner, isRecord, runAi, WORKERS_AI_PROVIDER } from "./workers-ai";

export const DEFAULT_WORKERS_AI_MODEL = "@cf/meta/llama-3.1-8b-instruct";

function readUsage(value: unknown): Partial<Usage> {
  if (!isRecord(value)) return {};
  const out: Partial<Usage> = {};
  if (typeof value.prompt_tokens === "number") out.inputTokens = value.prompt_tokens;
  if (typeof value.completion_tokens === "number") out.outputTokens = value.completion_tokens;
  return out;
}

function readToolCalls(raw: unknown): ToolCall[] {
  if (!Array.isArray(raw)) return [];
  const calls: ToolCall[] = [];
  for (const item of raw) {
    if (!isRecord(item)) continue;
    // Older models answer `{ name, arguments }`; OpenAI-style ones nest it under `function`.
    const fn = isRecord(item.function) ? item.function : item;
    if (typeof fn.name !== "string") continue;
    const id = typeof item.id === "string" && item.id ? item.id : `call_${randomString(16)}`;
    calls.push({ id, name: fn.name, arguments: argumentsJson(fn.arguments) });
  }
  return calls;
}

export class WorkersAiModel implements ModelProvider {
  readonly id = WORKERS_AI_PROVIDER;
  readonly degraded = false;

  constructor(
    private readonly ai: AiRunner,
    private readonly defaultModel = DEFAULT_WORKERS_AI_MODEL,
  ) {}

  /** Agent model names meant for other providers ("llama3.1" for Ollama) fall back to the default. */
  private modelFor(request: GenerateRequest): string {
    return request.model && /^@(cf|hf)\//.test(request.model) ? request.model : this.defaultModel;
  }

  private inputs(request: GenerateRequest): Record<string, unknown> {
    const inputs: Record<string, unknown> = {
      messages: toWireMessages(groundMessages(withContinuation(request), request.context)),
    };
    if (request.maxTokens !== undefined) inputs.max_tokens = request.maxTokens;
    if (request.temperature !== undefined) inputs.temperature = request.temperature;
    return inputs;
  }

  async *stream(request: GenerateRequest): AsyncIterable<ModelEvent> {
    if (request.tools?.length) yield* this.withTools(request);
    else yield* this.streamed(request);
  }

  private async *streamed(request: GenerateRequest): AsyncIterable<ModelEvent> {
    const model = this.modelFor(request);
    const body = await runAi(this.ai, model, { ...this.inputs(request), stream: true });
    if (!(body instanceof ReadableStream)) {
      throw new ProviderError(WORKERS_AI_PROVIDER, `Workers AI (${model}) did not return a stream`, {
        retryable: false,
      });
    }
    let text = "";
    let usage: Partial<Usage> = {};
    for await (const { data } of readSse(body as ReadableStream<Uint8Array>, request.signal)) {
      if (data.trim() === "[DONE]") break;
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        throw new ProviderError(WORKERS_AI_PROVIDER, `Workers AI (${model}) sent a malformed stream chunk`);
      }
      if (!isRecord(chunk)) continue;
      if (typeof chunk.response === "string" && chunk.response) {
        text += chunk.response;
        yield { type: "text", delta: chunk.response };
      }
      usage = { ...usage, ...readUsage(chunk.usage) };
    }
    yield* citationEvents(text, request.context);
    yield {
      type: "finish",
      reason: request.signal?.aborted ? "cancelled" : "stop",
      usage: {
        inputTokens: usage.inputTokens ?? estimateInputTokens(request.messages, request.context),
        outputTokens: usage.outputTokens ?? estimateTokens(text),
      },
    };
  }

  private async *withTools(request: GenerateRequest): AsyncIterable<ModelEvent> {
    const model = this.modelFor(request);
    const result = await runAi(this.ai, model, { ...this.inputs(request), tools: toWireTools(request.tools ?? []) });
    if (!isRecord(result)) throw new ProviderError(WORKERS_AI_PROVIDER, `Workers AI (${model}) returned no result`);
    // Some models answer in the OpenAI completion shape instead of `{ response, tool_calls }`.
    const choice = Array.isArray(result.choices) && isRecord(result.choices[0]) ? result.choices[0] : undefined;
    const message = choice && isRecord(choice.message) ? choice.message : result;
    const text =
      typeof message.response === "string"
        ? message.response
        : typeof message.content === "string"
          ? message.content
          : "";
    const calls = readToolCalls(message.tool_calls);
    if (request.signal?.aborted) {
      yield {
        type: "finish",
        reason: "cancelled",
        usage: { inputTokens: estimateInputTokens(request.messages, request.context), outputTokens: 0 },
      };
      return;
    }
    if (text) yield { type: "text", delta: text };
    yield* citationEvents(text, request.context);
    for (const call of calls) yield { type: "tool_call", call };
    const usage = readUsage(result.usage);
    yield {
      type: "finish",
      reason: toFinishReason(choice?.finish_reason, calls.length > 0),
      usage: {
        inputTokens: usage.inputTokens ?? estimateInputTokens(request.messages, request.context),
        outputTokens: usage.outputTokens ?? estimateTokens(text + calls.map((c) => c.arguments).join("")),
      },
    };
  }
}
