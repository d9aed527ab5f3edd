// POST /api/agents/:id/chat: one user message in, the answer out as Server-Sent Events (see
// events.ts for the schema). The conversation's Agent Durable Object runs the answer; this
// route checks who may talk to which agent and conversation, then relays the Agent's stream.
import { createRoute } from "@hono/zod-openapi";
import { AgentIdParam, API_SECURITY } from "../agents/schemas";
import { ChatBody, Conversation, OpenConversationBody } from "../conversations/schemas";
import { commonErrors, ErrorSchema, jsonBody, jsonResponse, type Router } from "../core/openapi";
import { signedIn } from "../core/signed-in";
import { ChatEvent, SSE_HEADERS } from "./events";
import { openConversation, startChat } from "./start";

export function registerChat(app: Router) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/agents/{id}/chat",
      tags: ["chat"],
      security: API_SECURITY,
      summary: "Send a message; the answer streams as Server-Sent Events",
      description:
        "Events: `start`, then `token` / `citation` / `tool_call` / `tool_result` / `approval_required` / `usage`, then `done` (reason stop, length, cancelled, awaiting_approval or step_limit) or `error`. Each SSE frame is `event: <type>` plus `data: <ChatEvent JSON>`.",
      request: { params: AgentIdParam, body: jsonBody(ChatBody) },
      responses: {
        200: {
          content: { "text/event-stream": { schema: ChatEvent } },
          description: "The answer as a stream of ChatEvent",
        },
        409: jsonResponse(ErrorSchema, "An answer is already running, or tool calls are waiting for approval"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { message, conversation_id } = c.req.valid("json");
      const started = await startChat(c, signedIn(c.var.principal), c.req.valid("param").id, message, conversation_id);
      return new Response(started.stream, {
        status: 200,
        headers: { ...SSE_HEADERS, "X-Conversation-Id": started.conversationId },
      });
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/agents/{id}/conversations",
      tags: ["chat"],
      security: API_SECURITY,
      summary: "Open a conversation before its first message",
      description:
        "Creates the conversation and its Agent ahead of the first message, so that message streams as fast as a continued conversation's. Send it with `conversation_id` to `POST /api/agents/{id}/chat`. Without a `title` the first message names it.",
      request: { params: AgentIdParam, body: jsonBody(OpenConversationBody) },
      responses: { 201: jsonResponse(Conversation, "The open conversation"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await openConversation(c, signedIn(c.var.principal), c.req.valid("param").id, c.req.valid("json").title ?? ""),
        201,
      ),
  );
}
