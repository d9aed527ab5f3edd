// The MCP tools: list_agents and chat_with_agent (knowledge search joins when the knowledge
// feature registers it). A fresh server per request (stateless transport), closed over the
// request's principal, so every tool acts exactly as that caller could through the API.
import { McpServer } from "@modelcontextprotocol/server";
import type { Context } from "hono";
import { z } from "zod";
import { listAgents } from "../agents/service";
import type { ChatEvent } from "../chat/events";
import { collectEvents, startChat } from "../chat/start";
import { MAX_MESSAGE_CHARS } from "../conversations/schemas";
import { check, ruleFor } from "../core/authorize";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import type { AuthenticatedPrincipal } from "../core/principal";
import type { Citation } from "../core/providers/types";
import { checkBudget } from "../usage/budget";

type ToolResult = {
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

const ok = (data: Record<string, unknown>, text = JSON.stringify(data)): ToolResult => ({
  content: [{ type: "text", text }],
  structuredContent: data,
});
const failure = (message: string): ToolResult => ({ content: [{ type: "text", text: message }], isError: true });

/** The sources under the answer, numbered like its [n] markers, for clients that show only the text. */
const sourcesText = (citations: readonly Citation[]) =>
  citations.length
    ? `\n\nSources:\n${citations.map((c) => `[${c.marker}] ${c.document_name} (${c.document_id}, chars ${c.snippet.start_offset}-${c.snippet.end_offset})`).join("\n")}`
    : "";

const citationOf = ({ type: _type, ...citation }: Extract<ChatEvent, { type: "citation" }>): Citation => citation;

/** A turn the safety policy stopped: a tool error with the reason OpenAI clients know. */
function blocked(events: readonly ChatEvent[], conversationId: string, answer: string): ToolResult {
  const guard = events.findLast((e) => e.type === "guard" && e.action === "block");
  const stage = guard?.type === "guard" ? guard.stage : "input";
  const detectors = guard?.type === "guard" ? [...new Set(guard.findings.map((f) => f.detector))].join(", ") : "";
  const sent = answer ? `\n\n${answer}` : "";
  return {
    content: [
      {
        type: "text",
        text: `content_policy_violation: the safety policy blocked the ${stage} (${detectors}) in conversation ${conversationId}${sent}`,
      },
    ],
    structuredContent: { code: "content_policy_violation", stage, conversation_id: conversationId },
    isError: true,
  };
}

/** Runs a tool body; API errors become tool errors the client can show, anything else rethrows. */
async function guarded(body: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof ApiError) return failure(`${err.code}: ${err.message}`);
    throw err;
  }
}

/** The same rule the HTTP route applies, so MCP is never a side door. */
function allowedLike(p: AuthenticatedPrincipal, method: string, path: string): void {
  const rule = ruleFor(method, path);
  const denied = rule ? check(rule, p) : new ApiError("FORBIDDEN", "Not permitted");
  if (denied) throw denied;
}

/** Tools that run a model: each call is rate-limited and budgeted like a chat message (routes.ts). */
export const MODEL_TOOLS: ReadonlySet<string> = new Set(["chat_with_agent"]);

export function buildMcpServer(c: Context<HonoEnv>, p: AuthenticatedPrincipal): McpServer {
  const server = new McpServer({ name: "liquid-hive", version: "1.0.0" });

  server.registerTool(
    "list_agents",
    {
      description: "Lists the agents you can use in this workspace, newest first.",
      inputSchema: z.object({
        limit: z.number().int().min(1).max(100).default(50),
        cursor: z.string().max(200).optional(),
      }),
    },
    async ({ limit, cursor }) =>
      guarded(async () => {
        allowedLike(p, "GET", "/api/agents");
        const page = await listAgents(c.var.services.db, p, limit, cursor);
        const agents = page.data.map((a) => ({
          id: a.id,
          name: a.name,
          description: a.description,
          version: a.version,
          model: a.definition.model,
          tools: a.definition.tools,
        }));
        return ok({ agents, next_cursor: page.next_cursor });
      }),
  );

  server.registerTool(
    "chat_with_agent",
    {
      description:
        "Sends a message to an agent and returns its full answer. Pass conversation_id to continue a conversation. Side-effecting tools wait for approval in the dashboard; the answer then says so.",
      inputSchema: z.object({
        agent_id: z.string().min(1).max(64),
        message: z.string().trim().min(1).max(MAX_MESSAGE_CHARS),
        conversation_id: z.string().min(1).max(64).optional(),
      }),
    },
    async ({ agent_id, message, conversation_id }) =>
      guarded(async () => {
        allowedLike(p, "POST", "/api/agents/:id/chat");
        await checkBudget(c.var.services.db, p.workspaceId);
        const started = await startChat(c, p, agent_id, message, conversation_id, "mcp");
        const events = await collectEvents(started.stream);
        const answer = events.map((e) => (e.type === "token" ? e.delta : "")).join("");
        const last = events.at(-1);
        if (last?.type === "error") return failure(`${last.code}: ${last.message}`);
        const done = last?.type === "done" ? last : undefined;
        if (done?.reason === "blocked") return blocked(events, started.conversationId, answer);
        const citations: Citation[] = events.flatMap((e) => (e.type === "citation" ? [citationOf(e)] : []));
        return ok(
          {
            conversation_id: started.conversationId,
            answer,
            finish_reason: done?.reason ?? "stop",
            degraded: done?.degraded ?? false,
            pending_approvals: done?.pending_approvals ?? [],
            citations,
          },
          done?.reason === "awaiting_approval"
            ? `${answer}\n\n[Waiting for approval of ${done.pending_approvals.join(", ")} in conversation ${started.conversationId}]`
            : `${answer}${sourcesText(citations)}`,
        );
      }),
  );

  return server;
}
