// /conversations: the caller's conversation history across agents.
import { useQuery } from "@tanstack/react-query";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { PageLink } from "../../ui/page-link";
import { ConversationList } from "./conversation-list";

const AGENT_PARAMS = { limit: 100 };

export function ConversationsPage() {
  // Names for the agent column; an agent past the first 100 (or deleted) shows its id instead.
  const agents = useQuery(queries.agents(AGENT_PARAMS));
  const names = new Map((agents.data?.data ?? []).map((a) => [a.id, a.name]));
  return (
    <Page
      title="Conversations"
      lead="Your conversations with agents, newest first. Only you can see them."
      actions={<PageLink to="/agents">Agents</PageLink>}
    >
      <section className="panel" aria-label="Conversation list">
        <ConversationList agentNames={names} />
      </section>
    </Page>
  );
}
