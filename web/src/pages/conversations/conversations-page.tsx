// /conversations: the caller's conversation history across agents.
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { Page } from "../../layout/page";
import { Link } from "../../router/link";
import { ConversationList } from "./conversation-list";

const AGENT_PARAMS = { limit: 100 };

export function ConversationsPage() {
  // Names for the agent column; an agent past the first 100 (or deleted) shows its id instead.
  const agents = useQuery({ queryKey: queryKeys.agents.list(AGENT_PARAMS), queryFn: ({ signal }) => api.agents.list(AGENT_PARAMS, { signal }) });
  const names = new Map((agents.data?.data ?? []).map((a) => [a.id, a.name]));
  return (
    <Page
      title="Conversations"
      lead="Your conversations with agents, newest first. Only you can see them."
      actions={
        <Link to="/agents" className="button button-secondary">
          Agents
        </Link>
      }
    >
      <section className="panel" aria-label="Conversation list">
        <ConversationList agentNames={names} />
      </section>
    </Page>
  );
}
