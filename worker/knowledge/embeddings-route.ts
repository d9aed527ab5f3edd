// POST /v1/embeddings, OpenAI-compatible: `{input, model}` in, `{object: "list", data, model,
// usage}` out. Errors leave in OpenAI's shape: worker/openai/errors.ts rewrites the envelope for
// everything under /v1, reading `details.param` and `details.openai_code`. Served by the
// knowledge bases' embedders: the deployment's own model, plus Workers AI BGE models when bound.
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../core/errors";
import { jsonBody, jsonResponse, type Router, SIGNED_IN_SECURITY } from "../core/openapi";
import { estimateTokens } from "../core/tokens";
import { OpenAiError, openAiList } from "../openai/schemas";
import { availableEmbeddingModels, embedderFor } from "./embedders";
import { providerUnavailable } from "./search-route";

const MAX_INPUTS = 2048;
/** OpenAI's per-input limit for its embedding models, in (estimated) tokens. */
const MAX_INPUT_TOKENS = 8192;

export const EmbeddingsRequest = z
  .object({
    input: z.union([
      z.string(),
      z.array(z.string()).min(1).max(MAX_INPUTS),
      z.array(z.number()),
      z.array(z.array(z.number())),
    ]),
    model: z.string().min(1).max(200),
    encoding_format: z.enum(["float", "base64"]).default("float"),
    dimensions: z.number().int().positive().optional(),
    user: z.string().max(256).optional(),
  })
  .openapi("EmbeddingsRequest");
export type EmbeddingsRequest = z.input<typeof EmbeddingsRequest>;

export const EmbeddingsResponse = openAiList(
  z.object({
    object: z.literal("embedding"),
    index: z.number().int(),
    embedding: z.union([z.array(z.number()), z.string()]),
  }),
)
  .extend({
    model: z.string(),
    usage: z.object({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }),
  })
  .openapi("EmbeddingsResponse");
export type EmbeddingsResponse = z.infer<typeof EmbeddingsResponse>;

const openAiError = (description: string) => ({
  content: { "application/json": { schema: OpenAiError } },
  description,
});

const invalid = (
  param: string,
  message: string,
  status: "VALIDATION_ERROR" | "NOT_FOUND" = "VALIDATION_ERROR",
  openaiCode?: string,
) => new ApiError(status, message, { details: { param, ...(openaiCode ? { openai_code: openaiCode } : {}) } });

/** Little-endian float32, base64: what OpenAI returns for encoding_format "base64". */
function toBase64(values: number[]): string {
  const bytes = new Uint8Array(Float32Array.from(values).buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function registerEmbeddingsRoute(app: Router) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/embeddings",
      tags: ["openai"],
      security: SIGNED_IN_SECURITY,
      summary: "Create embeddings (OpenAI-compatible)",
      request: { body: jsonBody(EmbeddingsRequest) },
      responses: {
        200: jsonResponse(EmbeddingsResponse, "One embedding per input, in input order"),
        400: openAiError("Invalid input"),
        401: openAiError("Missing or bad credentials"),
        403: openAiError("Not permitted"),
        404: openAiError("Unknown model"),
        429: openAiError("Rate limited"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const inputs = typeof body.input === "string" ? [body.input] : body.input;
      if (!inputs.every((x): x is string => typeof x === "string")) {
        throw invalid(
          "input",
          "Token-array input is not supported here; send the text as a string or an array of strings",
        );
      }
      inputs.forEach((text, i) => {
        if (text.length === 0) throw invalid("input", `input[${i}] is empty`);
        if (estimateTokens(text) > MAX_INPUT_TOKENS)
          throw invalid("input", `input[${i}] is longer than ${MAX_INPUT_TOKENS} tokens`);
      });
      const source = { embedder: c.var.services.embedder, ai: c.env.AI };
      if (!availableEmbeddingModels(source).includes(body.model)) {
        throw invalid(
          "model",
          `The model '${body.model}' does not exist; available: ${availableEmbeddingModels(source).join(", ")}`,
          "NOT_FOUND",
          "model_not_found",
        );
      }
      const embedder = embedderFor(source, body.model);
      if (body.dimensions !== undefined && body.dimensions !== embedder.dimensions) {
        throw invalid("dimensions", `${body.model} produces ${embedder.dimensions}-dimensional embeddings`);
      }
      const vectors = await embedder.embed(inputs).catch(providerUnavailable);
      const tokens = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
      return c.json(
        {
          object: "list" as const,
          data: vectors.map((v, index) => ({
            object: "embedding" as const,
            index,
            embedding: body.encoding_format === "base64" ? toBase64(v) : v,
          })),
          model: body.model,
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        },
        200,
      );
    },
  );
}
