// Which model a /v1 request means, and its messages in the provider format. `model` is either
// an agent id (its prompt, models and safe tools apply) or a raw model id: "offline", a
// Workers AI id when AI is bound, the configured LLM_MODEL when LLM_BASE_URL is set, and in
// development/test the paced benchmark model "scripted:<tokens>:<ms>". Callers do not get to
// speak with an agent's system voice unless the agent allows it.
import type { AgentDefinition, ModelSpec } from "../agents/schemas";
import { findAgentForChat } from "../agents/service";
import type { Config } from "../core/config";
import type { Database } from "../core/db";
import { ApiError } from "../core/errors";
import type { AuthenticatedPrincipal } from "../core/principal";
import { parsePacing, SCRIPTED_PROVIDER, scriptedAllowed } from "../core/providers/paced-model";
import type { ChatMessage, ToolSpec } from "../core/providers/types";
import { DEFAULT_WORKERS_AI_MODEL } from "../core/providers/workers-ai-model";
import type { ChatCompletionRequest, WireMessage } from "./schemas";

export type Target =
  | { kind: "agent"; id: string; version: number; definition: AgentDefinition }
  | { kind: "raw"; id: string; spec: ModelSpec };

const modelNotFound = (model: string) =>
  new ApiError("NOT_FOUND", `The model \`${model}\` does not exist or you do not have access to it.`, {
    details: { openai_code: "model_not_found", param: "model" },
  });

export function rawModel(model: string, env: Pick<Env, "AI">, config: Config): ModelSpec | null {
  if (model === "offline") return { provider: "offline", id: "offline" };
  if (/^@(cf|hf)\/[\w./-]+$/.test(model)) return env.AI ? { provider: "workers-ai", id: model } : null;
  const paced = model.startsWith(`${SCRIPTED_PROVIDER}:`) ? model.slice(SCRIPTED_PROVIDER.length + 1) : null;
  if (paced && parsePacing(paced)) return scriptedAllowed(config) ? { provider: "scripted", id: paced } : null;
  if (config.LLM_BASE_URL && model === config.LLM_MODEL) return { provider: "openai-compatible", id: model };
  return null;
}

/** Raw models this deployment can serve, for GET /v1/models. */
export function rawModels(env: Pick<Env, "AI">, config: Config): string[] {
  return ["offline", ...(env.AI ? [DEFAULT_WORKERS_AI_MODEL] : []), ...(config.LLM_BASE_URL ? [config.LLM_MODEL] : [])];
}

export async function resolveTarget(
  db: Database,
  env: Pick<Env, "AI">,
  config: Config,
  p: AuthenticatedPrincipal,
  model: string,
): Promise<Target> {
  if (model.startsWith("agt_")) {
    const found = await findAgentForChat(db, p, model, config.DEFINITION_CACHE_TTL_SECONDS).catch((err: unknown) => {
      if (err instanceof ApiError && err.code === "NOT_FOUND") throw modelNotFound(model);
      throw err;
    });
    return { kind: "agent", id: found.agent.id, version: found.agent.currentVersion, definition: found.definition };
  }
  const spec = rawModel(model, env, config);
  if (!spec) throw modelNotFound(model);
  return { kind: "raw", id: model, spec };
}

const invalid = (message: string, param: string) => new ApiError("VALIDATION_ERROR", message, { details: { param } });

function text(content: WireMessage["content"]): string {
  if (content === undefined || content === null) return "";
  return typeof content === "string" ? content : content.map((p) => p.text).join("");
}

export function toChatMessages(messages: readonly WireMessage[]): ChatMessage[] {
  return messages.map((m, i) => {
    if (m.role === "tool") {
      if (!m.tool_call_id) throw invalid("Tool messages need tool_call_id", `messages.${i}.tool_call_id`);
      return { role: "tool", content: text(m.content), toolCallId: m.tool_call_id };
    }
    if (m.role === "assistant") {
      const toolCalls = (m.tool_calls ?? []).map((c) => ({
        id: c.id,
        name: c.function.name,
        arguments: c.function.arguments,
      }));
      return { role: "assistant", content: text(m.content), ...(toolCalls.length ? { toolCalls } : {}) };
    }
    return { role: m.role === "developer" ? "system" : m.role, content: text(m.content) };
  });
}

/**
 * An agent's system prompt is its owner's, not the caller's: a caller's system or developer
 * message would sit beside it with the same authority, so it is refused unless the agent opts in
 * (`allow_system_override`). Even then the agent's own prompt stays first (chat/loop.ts).
 */
export function refuseCallerSystem(target: Target, messages: readonly WireMessage[]): void {
  if (target.kind !== "agent" || target.definition.allow_system_override) return;
  const i = messages.findIndex((m) => m.role === "system" || m.role === "developer");
  if (i < 0) return;
  throw new ApiError(
    "VALIDATION_ERROR",
    `This agent does not accept ${messages[i]?.role} messages from callers: its own system prompt applies (the agent's allow_system_override is off)`,
    {
      details: { param: `messages.${i}.role`, openai_code: "system_override_not_allowed" },
    },
  );
}

export function clientTools(request: ChatCompletionRequest): ToolSpec[] {
  return (request.tools ?? []).map((t) => ({
    name: t.function.name,
    description: t.function.description ?? "",
    parameters: t.function.parameters ?? { type: "object", properties: {} },
  }));
}
