// POST /api/agents/:id/chat: one user message in, the answer out as Server-Sent Events (see
// events.ts for the schema). The conversation's Agent Durable Object runs the answer; this
// route checks who may talk to which agent and conversation, then relays the Agent's stream.

import { AgentIdParam } from "../agents/schemas";
import { ChatBody, Conversation, OpenConversationBody } from "../conversations/schemas";
import type { Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { ChatEvent, SSE_HEADERS } from "./events";
import { openConversation, startChat } from "./start";

export function registerChat(app: Router) {
  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/agents/{id}/chat",
      tags: ["chat"],
      summary: "Send a message; the answer streams as Server-Sent Events",
      description:
        "Events: `start`, then `token` / `citation` / `tool_call` / `tool_result` / `approval_required` / `usage`, then `done` (reason stop, length, cancelled, awaiting_approval or step_limit) or `error`. Each SSE frame is `event: <type>` plus `data: <ChatEvent JSON>`.",
      params: AgentIdParam,
      body: ChatBody,
      stream: [ChatEvent, "The answer as a stream of ChatEvent"],
      errors: { 409: "An answer is already running, or tool calls are waiting for approval" },
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
    jsonRoute({
      method: "post",
      path: "/api/agents/{id}/conversations",
      tags: ["chat"],
      summary: "Open a conversation before its first message",
      description:
        "Creates the conversation and its Agent ahead of the first message, so that message streams as fast as a continued conversation's. Send it with `conversation_id` to `POST /api/agents/{id}/chat`. Without a `title` the first message names it.",
      params: AgentIdParam,
      body: OpenConversationBody,
      created: [Conversation, "The open conversation"],
    }),
    async (c) =>
      c.json(
        await openConversation(c, signedIn(c.var.principal), c.req.valid("param").id, c.req.valid("json").title ?? ""),
        201,
      ),
  );
}
