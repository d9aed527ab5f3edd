// /conversations: the caller's conversation history across agents.
import { api } from "../../api/client";
import { Page } from "../../layout/page";
import { Link } from "../../router/link";
import { useApi } from "../../ui/use-api";
import { ConversationList } from "./conversation-list";

export function ConversationsPage() {
  // Names for the agent column; an agent past the first 100 (or deleted) shows its id instead.
  const agents = useApi((signal) => api.agents.list({ limit: 100 }, { signal }), []);
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
