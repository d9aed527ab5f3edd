// POST /api/agents/:id/chat: one user message in, the answer out as Server-Sent Events (see
// events.ts for the schema). The conversation's Agent Durable Object runs the answer; this
// route checks who may talk to which agent and conversation, then relays the Agent's stream.
import { createRoute } from "@hono/zod-openapi";
import { signedIn } from "../agents/access";
import { AgentIdParam, API_SECURITY } from "../agents/schemas";
import { findAgentForChat } from "../agents/service";
import { audit } from "../audit/audit";
import { ApiError } from "../core/errors";
import { commonErrors, ErrorSchema, jsonBody, jsonResponse, type Router } from "../core/openapi";
import { ChatBody } from "../conversations/schemas";
import { callerOf, conversationAgent, createConversation, findConversation, unwrap } from "../conversations/service";
import { ChatEvent, SSE_HEADERS } from "./events";

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
        200: { content: { "text/event-stream": { schema: ChatEvent } }, description: "The answer as a stream of ChatEvent" },
        409: jsonResponse(ErrorSchema, "An answer is already running, or tool calls are waiting for approval"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const db = c.var.services.db;
      const { message, conversation_id } = c.req.valid("json");
      const { agent, definition } = await findAgentForChat(db, p, c.req.valid("param").id);
      let conversationId = conversation_id;
      if (conversationId) {
        const conversation = await findConversation(db, p, conversationId);
        if (conversation.agentId !== agent.id) throw new ApiError("CONFLICT", "That conversation belongs to another agent", { details: { agent_id: conversation.agentId } });
      } else {
        conversationId = (await createConversation(db, p, agent.id, agent.currentVersion, message)).id;
      }
      const stub = await conversationAgent(c.env, conversationId);
      const [started] = await Promise.all([
        stub.chat({
          caller: callerOf(p),
          conversationId,
          agentId: agent.id,
          agentVersion: agent.currentVersion,
          definition,
          message,
          requestId: c.var.requestId,
        }),
        audit(c, { action: "chat.message", targetType: "conversation", targetId: conversationId, detail: { agent_id: agent.id, new_conversation: !conversation_id } }),
      ]);
      const { stream } = unwrap(started);
      return new Response(stream, { status: 200, headers: { ...SSE_HEADERS, "X-Conversation-Id": conversationId } });
    },
  );
}
