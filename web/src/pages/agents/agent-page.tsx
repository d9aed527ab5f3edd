// /agent/:id: an agent's current configuration, its versions with rollback, and the caller's
// conversations with it.
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { QueryPage } from "../../layout/query-page";
import { navigate } from "../../router/history";
import { pathOf } from "../../router/match";
import { ConfirmMutation } from "../../ui/confirm-button";
import { ErrorPanel } from "../../ui/error-panel";
import { PageLink } from "../../ui/page-link";
import { Time } from "../../ui/time";
import { ConversationList } from "../conversations/conversation-list";
import { AgentFacts } from "./agent-facts";
import { VersionsPanel } from "./versions-panel";

export function AgentPage({ agentId }: { agentId: string }) {
  const loaded = useQuery(queries.agent(agentId));
  const remove = useMutation({
    mutationFn: () => api.agents.delete(agentId),
    onSuccess: () => navigate("/agents"),
    meta: { invalidates: [queryKeys.agents.lists] },
  });

  const agent = loaded.data;
  if (!agent) {
    return <QueryPage title="Agent" query={loaded} errorTitle="Could not load the agent" />;
  }

  return (
    <Page
      title={agent.name}
      lead={agent.description || undefined}
      actions={
        <>
          <PageLink to={pathOf("agent", agent.id, "chat")} main>
            Chat
          </PageLink>
          {agent.can_edit ? (
            <>
              <PageLink to={pathOf("agent", agent.id, "edit")}>Edit</PageLink>
              <ConfirmMutation
                label="Delete"
                question={`Delete ${agent.name}? Its history is kept for the audit trail.`}
                confirmLabel="Delete agent"
                mutation={remove}
              />
            </>
          ) : null}
        </>
      }
    >
      {remove.error ? <ErrorPanel title="Could not delete the agent" error={remove.error} /> : null}
      <div className="panel-grid">
        <section className="panel" aria-labelledby="agent-config-heading">
          <h2 id="agent-config-heading">
            Configuration <span className="pill tone-neutral">v{agent.version}</span>
          </h2>
          <AgentFacts definition={agent.definition} />
          <p className="muted small">
            {agent.visibility === "private" ? "Private" : "Visible to the workspace"} · {agent.tokens_in} tokens in,{" "}
            {agent.tokens_out} out so far · updated <Time iso={agent.updated_at} />
          </p>
        </section>
        <VersionsPanel agent={agent} />
      </div>
      <section className="panel" aria-labelledby="agent-conversations-heading">
        <h2 id="agent-conversations-heading">Your conversations with {agent.name}</h2>
        <ConversationList agentId={agent.id} />
      </section>
    </Page>
  );
}
