// /agent/:id: an agent's current configuration, its versions with rollback, and the caller's
// conversations with it.
import { useEffect, useState } from "react";
import type { Agent } from "@hive/shared/api-client";
import { api } from "../../api";
import { Page } from "../../layout/page";
import { navigate } from "../../router/history";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { ConfirmButton } from "../../ui/confirm-button";
import { ErrorPanel } from "../../ui/error-panel";
import { Time } from "../../ui/time";
import { useAction } from "../../ui/use-action";
import { useApi } from "../../ui/use-api";
import { ConversationList } from "../conversations/conversation-list";
import { AgentFacts } from "./agent-facts";
import { VersionsPanel } from "./versions-panel";

export function AgentPage({ agentId }: { agentId: string }) {
  const loaded = useApi((signal) => api.agents.get(agentId, { signal }), [agentId]);
  // A rollback answers with the agent at its new version; show that without another round trip.
  const [agent, setAgent] = useState<Agent | null>(null);
  useEffect(() => {
    setAgent(loaded.data);
  }, [loaded.data]);
  const remove = useAction(async (id: string) => {
    await api.agents.delete(id);
    navigate("/agents");
  });

  if (loaded.error) {
    return (
      <Page title="Agent">
        <ErrorPanel title="Could not load the agent" error={loaded.error} onRetry={loaded.reload} />
      </Page>
    );
  }
  if (!agent) {
    return (
      <Page title="Agent">
        <p className="muted" role="status">
          Loading…
        </p>
      </Page>
    );
  }

  return (
    <Page
      title={agent.name}
      lead={agent.description || undefined}
      actions={
        <>
          <Link to={pathOf("agent", agent.id, "chat")} className="button">
            Chat
          </Link>
          {agent.can_edit ? (
            <>
              <Link to={pathOf("agent", agent.id, "edit")} className="button button-secondary">
                Edit
              </Link>
              <ConfirmButton label="Delete" question={`Delete ${agent.name}? Its history is kept for the audit trail.`} confirmLabel="Delete agent" disabled={remove.busy} onConfirm={() => void remove.run(agent.id)} />
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
            {agent.visibility === "private" ? "Private" : "Visible to the workspace"} · {agent.tokens_in} tokens in, {agent.tokens_out} out so far · updated{" "}
            <Time iso={agent.updated_at} />
          </p>
        </section>
        <VersionsPanel agent={agent} onRolledBack={setAgent} />
      </div>
      <section className="panel" aria-labelledby="agent-conversations-heading">
        <h2 id="agent-conversations-heading">Your conversations with {agent.name}</h2>
        <ConversationList agentId={agent.id} />
      </section>
    </Page>
  );
}
