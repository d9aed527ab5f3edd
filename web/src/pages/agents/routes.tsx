// Pages under Agents. Agent pages live under /agent/..., not /agents/...: the Worker owns
// /agents/* (the agents SDK WebSocket route), so those paths never reach the dashboard.
import type { PageRoute, RouteParams } from "../../router/match";
import { ChatPage } from "../chat/chat-page";
import { ConversationsPage } from "../conversations/conversations-page";
import { EditAgentPage, NewAgentPage } from "./agent-form-page";
import { AgentPage } from "./agent-page";

const id = (p: RouteParams) => p.id ?? "";

export const AGENT_ROUTES: readonly PageRoute[] = [
  { pattern: "/agent/new", section: "/agents", render: () => <NewAgentPage /> },
  { pattern: "/agent/:id", section: "/agents", render: (p) => <AgentPage agentId={id(p)} /> },
  { pattern: "/agent/:id/edit", section: "/agents", render: (p) => <EditAgentPage agentId={id(p)} /> },
  // One page instance per agent's chat: a new conversation's id joining the address must not remount it.
  {
    pattern: "/agent/:id/chat",
    section: "/agents",
    key: (p) => `chat:${id(p)}`,
    render: (p) => <ChatPage agentId={id(p)} conversationId={null} />,
  },
  {
    pattern: "/agent/:id/chat/:conversationId",
    section: "/agents",
    key: (p) => `chat:${id(p)}`,
    render: (p) => <ChatPage agentId={id(p)} conversationId={p.conversationId ?? null} />,
  },
  { pattern: "/conversations", section: "/agents", render: () => <ConversationsPage /> },
];
