// OpenAI-compatible endpoints: POST /v1/chat/completions (stream and not) and GET /v1/models,
// authenticated like the rest of the API (API key or JWT as a Bearer token). Chunks follow
// what the official client's stream helper insists on: role on the first delta, an index on
// every choice, a finish_reason on the last, a usage chunk with no choices, then [DONE].
import { createRoute } from "@hono/zod-openapi";
import { desc } from "drizzle-orm";
import { visibleAgents } from "../agents/access";
import { audit } from "../audit/audit";
import { recordUsage } from "../chat/usage";
import { background } from "../core/background";
import { agents } from "../core/db/schema";
import { ApiError } from "../core/errors";
import { randomString } from "../core/ids";
import { jsonBody, jsonResponse, type Router } from "../core/openapi";
import { signedIn } from "../core/signed-in";
import { holdSegment } from "../core/trace/tracer";
import { UsageMeter } from "../usage/meter";
import { complete, guardCompletion } from "./complete";
import { rawModels, refuseCallerSystem, resolveTarget } from "./resolve";
import { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ModelList, OpenAiError } from "./schemas";

const security: Record<string, string[]>[] = [{ bearer: [] }];
const errors = {
  400: jsonResponse(OpenAiError, "Invalid request"),
  401: jsonResponse(OpenAiError, "Missing or invalid API key"),
  403: jsonResponse(OpenAiError, "Not permitted"),
  404: jsonResponse(OpenAiError, "Unknown model"),
  429: jsonResponse(OpenAiError, "Rate limited"),
};

const encoder = new TextEncoder();
const frame = (payload: unknown) => encoder.encode(`data: ${JSON.stringify(payload)}\n\n`);

export function registerOpenAi(app: Router) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/chat/completions",
      tags: ["openai"],
      security,
      summary: "OpenAI-compatible chat completion; `model` is an agent id or a model from /v1/models",
      request: { body: jsonBody(ChatCompletionRequest) },
      responses: {
        200: {
          description: "A completion, or with stream: true a text/event-stream of chunks ending in data: [DONE]",
          content: {
            "application/json": { schema: ChatCompletion },
            "text/event-stream": { schema: ChatCompletionChunk },
          },
        },
        ...errors,
      },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const request = c.req.valid("json");
      const target = await resolveTarget(c.var.services.db, c.env, c.var.config, p, request.model);
      refuseCallerSystem(target, request.messages);
      const guarded = await guardCompletion(
        c.env,
        c.var.config,
        p.workspaceId,
        target,
        request,
        (w) => background(c, "safety_events", w),
        c.var.requestId,
      );
      const id = `chatcmpl-${randomString(24)}`;
      const created = Math.floor(Date.now() / 1000);
      const model = request.model;
      const meter = new UsageMeter(c.var.services.db, {
        workspaceId: p.workspaceId,
        userId: p.userId,
        agentId: target.kind === "agent" ? target.id : null,
        agentVersion: target.kind === "agent" ? target.version : null,
        surface: "v1",
      });
      // Bookkeeping goes once the completion has finished, so none of it runs ahead of the first token.
      const charge = (usage: { inputTokens: number; outputTokens: number }) =>
        background(
          c,
          "openai_usage",
          Promise.all([
            recordUsage(c.env, p.workspaceId, target.kind === "agent" ? target.id : null, usage),
            meter.flush(),
          ]),
        );
      const audited = () =>
        background(
          c,
          "openai_audit",
          audit(c, {
            action: "openai.chat_completion",
            targetType: target.kind === "agent" ? "agent" : "model",
            targetId: target.id,
            detail: { stream: request.stream === true },
          }),
        );

      if (!request.stream) {
        const r = await complete(
          c.env,
          c.var.config,
          p.workspaceId,
          target,
          request,
          c.req.raw.signal,
          () => undefined,
          guarded,
          meter,
        ).finally(audited);
        charge(r.usage);
        if (r.error)
          throw new ApiError(r.error.code === "MODEL_UNAVAILABLE" ? "UNAVAILABLE" : "BAD_GATEWAY", r.error.message);
        const toolCalls = r.toolCalls.map((t) => ({
          id: t.id,
          type: "function" as const,
          function: { name: t.name, arguments: t.arguments },
        }));
        return c.json(
          {
            id,
            object: "chat.completion" as const,
            created,
            model,
            choices: [
              {
                index: 0,
                message: {
                  role: "assistant" as const,
                  content: toolCalls.length && !r.content ? null : r.content,
                  refusal: null,
                  ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
                },
                finish_reason: r.finish,
                logprobs: null,
              },
            ],
            usage: {
              prompt_tokens: r.usage.inputTokens,
              completion_tokens: r.usage.outputTokens,
              total_tokens: r.usage.inputTokens + r.usage.outputTokens,
            },
            citations: r.citations,
            degraded: r.degraded,
            ...(r.fallback ? { fallback: r.fallback } : {}),
          },
          200,
        );
      }

      const controller = new AbortController();
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      });
      const body = new ReadableStream<Uint8Array>({
        start: (out) => {
          const write = (payload: unknown) => {
            if (!controller.signal.aborted) out.enqueue(frame(payload));
          };
          write(chunk({ role: "assistant", content: "" }));
          const work = complete(
            c.env,
            c.var.config,
            p.workspaceId,
            target,
            request,
            controller.signal,
            (delta) => write(chunk({ content: delta })),
            guarded,
            meter,
          )
            .then((r) => {
              charge(r.usage);
              if (r.error) {
                // The official client cannot parse `event: error`; an error object on a data line it can.
                write({
                  error: {
                    message: r.error.message,
                    type: "server_error",
                    param: null,
                    code: r.error.code.toLowerCase(),
                  },
                });
              } else {
                if (r.toolCalls.length) {
                  write(
                    chunk({
                      tool_calls: r.toolCalls.map((t, index) => ({
                        index,
                        id: t.id,
                        type: "function",
                        function: { name: t.name, arguments: t.arguments },
                      })),
                    }),
                  );
                }
                write({
                  ...chunk({}, r.finish),
                  citations: r.citations,
                  degraded: r.degraded,
                  ...(r.fallback ? { fallback: r.fallback } : {}),
                });
                if (request.stream_options?.include_usage) {
                  write({
                    id,
                    object: "chat.completion.chunk",
                    created,
                    model,
                    choices: [],
                    usage: {
                      prompt_tokens: r.usage.inputTokens,
                      completion_tokens: r.usage.outputTokens,
                      total_tokens: r.usage.inputTokens + r.usage.outputTokens,
                    },
                  });
                }
              }
              if (!controller.signal.aborted) out.enqueue(encoder.encode("data: [DONE]\n\n"));
            })
            .catch(() =>
              write({ error: { message: "The completion failed", type: "server_error", param: null, code: null } }),
            )
            .finally(() => {
              audited();
              if (!controller.signal.aborted) out.close();
            });
          // The request's trace segment waits for the answer: its model call's spans and how it ended are part of it.
          holdSegment(work);
          background(c, "openai_stream", work);
        },
        // The client went away: nobody will read the rest, so stop generating it.
        cancel: () => controller.abort(),
      });
      return new Response(body, {
        status: 200,
        headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform" },
      });
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/models",
      tags: ["openai"],
      security,
      summary: "Models this key can use: its workspace's agents and the raw models",
      responses: { 200: jsonResponse(ModelList, "The models"), ...errors },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const rows = await c.var.services.db
        .select({ id: agents.id, name: agents.name, createdAt: agents.createdAt })
        .from(agents)
        .where(visibleAgents(p))
        .orderBy(desc(agents.createdAt))
        .limit(1000);
      const data = [
        ...rows.map((r) => ({
          id: r.id,
          object: "model" as const,
          created: Math.floor(r.createdAt / 1000),
          owned_by: p.workspaceId,
          name: r.name,
        })),
        ...rawModels(c.env, c.var.config).map((id) => ({
          id,
          object: "model" as const,
          created: 0,
          owned_by: "liquid-hive",
        })),
      ];
      return c.json({ object: "list" as const, data }, 200);
    },
  );
}
