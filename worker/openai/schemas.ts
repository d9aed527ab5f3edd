// The OpenAI Chat Completions wire format, as much of it as existing clients send and read.
// Unknown request fields are ignored (clients send penalties, seeds, metadata...), unknown
// roles and non-text content are refused.
import { z } from "@hono/zod-openapi";
import { AnswerCitation } from "../chat/citations";
import { AnswerFallback } from "../chat/events";

const TextPart = z.object({ type: z.literal("text"), text: z.string() });

const WireToolCall = z.object({
  id: z.string().max(200),
  type: z.literal("function").default("function"),
  function: z.object({ name: z.string().max(200), arguments: z.string().max(256 * 1024) }),
});

export const WireMessage = z.object({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z.union([z.string(), z.array(TextPart), z.null()]).optional(),
  name: z.string().max(200).optional(),
  tool_calls: z.array(WireToolCall).max(64).optional(),
  tool_call_id: z.string().max(200).optional(),
});
export type WireMessage = z.infer<typeof WireMessage>;

export const WireTool = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    description: z.string().max(4000).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const ChatCompletionRequest = z
  .object({
    model: z
      .string()
      .min(1)
      .max(200)
      .openapi({ description: "An agent id (agt_...) or a model id from GET /v1/models", example: "offline" }),
    messages: z.array(WireMessage).min(1).max(1000),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    max_tokens: z.number().int().min(1).max(32_768).nullish(),
    max_completion_tokens: z.number().int().min(1).max(32_768).nullish(),
    n: z.literal(1).nullish().openapi({ description: "Only one choice is generated" }),
    tools: z.array(WireTool).max(64).optional(),
  })
  .loose()
  .openapi("ChatCompletionRequest");
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

const Usage = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
});

/** A Liquid Hive extension (OpenAI clients ignore unknown fields): the sources an agent's answer cites. */
const CitationsExtension = z.array(AnswerCitation).openapi({
  description:
    "Extension: the knowledge passages an agent's answer cites, numbered like its [n] markers (empty for raw models)",
});

const DegradedExtension = z.boolean().openapi({
  description:
    "Extension: true when a fallback or the extractive offline model answered (all or part), with `fallback` saying why",
});

export const ChatCompletion = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal("assistant"),
          content: z.string().nullable(),
          refusal: z.null(),
          tool_calls: z.array(WireToolCall).optional(),
        }),
        finish_reason: z.enum(["stop", "length", "tool_calls", "content_filter"]),
        logprobs: z.null(),
      }),
    ),
    usage: Usage,
    citations: CitationsExtension,
    degraded: DegradedExtension,
    fallback: AnswerFallback.optional(),
  })
  .openapi("ChatCompletion");
export type ChatCompletion = z.infer<typeof ChatCompletion>;

export const ChatCompletionChunk = z
  .object({
    id: z.string(),
    object: z.literal("chat.completion.chunk"),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        delta: z.object({
          role: z.literal("assistant").optional(),
          content: z.string().nullable().optional(),
          tool_calls: z.array(WireToolCall.extend({ index: z.number().int() })).optional(),
        }),
        finish_reason: z.enum(["stop", "length", "tool_calls", "content_filter"]).nullable(),
        logprobs: z.null(),
      }),
    ),
    usage: Usage.nullable().optional(),
    citations: CitationsExtension.optional().openapi({
      description: "On the chunk with the finish_reason: the sources the answer cites",
    }),
    degraded: DegradedExtension.optional().openapi({ description: "On the chunk with the finish_reason" }),
    fallback: AnswerFallback.optional(),
  })
  .openapi("ChatCompletionChunk");
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunk>;

/** OpenAI's list envelope, `{ object: "list", data: [...] }`, shared by /v1/models and /v1/embeddings. */
export const openAiList = <T extends z.ZodType>(item: T) =>
  z.object({ object: z.literal("list"), data: z.array(item) });

export const ModelList = openAiList(
  z.object({
    id: z.string(),
    object: z.literal("model"),
    created: z.number().int(),
    owned_by: z.string(),
    name: z.string().optional(),
  }),
).openapi("ModelList");
export type ModelList = z.infer<typeof ModelList>;

/** The OpenAI error shape every /v1 failure is rendered in. */
export const OpenAiError = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().nullable(),
    }),
  })
  .openapi("OpenAiError");
export type OpenAiError = z.infer<typeof OpenAiError>;
