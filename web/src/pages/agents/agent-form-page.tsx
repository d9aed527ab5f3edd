// /agent/new and /agent/:id/edit.
import { HiveApiError } from "@hive/shared/api-client";
import { api } from "../../api";
import { Page } from "../../layout/page";
import { navigate } from "../../router/history";
import { pathOf } from "../../router/match";
import { ErrorPanel } from "../../ui/error-panel";
import { useApi } from "../../ui/use-api";
import { AgentForm } from "./agent-form";
import { createBody, NEW_AGENT, updateBody, valuesOf } from "./agent-form-state";

export function NewAgentPage() {
  return (
    <Page title="New agent" lead="Everything can be changed later; each change is stored as a new version.">
      <AgentForm
        initial={NEW_AGENT}
        submitLabel="Create agent"
        onSubmit={async (values) => {
          const agent = await api.agents.create(createBody(values));
          navigate(pathOf("agent", agent.id));
        }}
        onCancel={() => navigate("/agents")}
      />
    </Page>
  );
}

export function EditAgentPage({ agentId }: { agentId: string }) {
  const agent = useApi((signal) => api.agents.get(agentId, { signal }), [agentId]);
  if (agent.error) {
    return (
      <Page title="Edit agent">
        <ErrorPanel title="Could not load the agent" error={agent.error} onRetry={agent.reload} />
      </Page>
    );
  }
  if (!agent.data) {
    return (
      <Page title="Edit agent">
        <p className="muted" role="status">
          Loading…
        </p>
      </Page>
    );
  }
  const loaded = agent.data;
  const initial = valuesOf(loaded);
  return (
    <Page title={`Edit ${loaded.name}`} lead={`Saving stores version ${loaded.version + 1}; version ${loaded.version} stays available for rollback.`}>
      <AgentForm
        initial={initial}
        submitLabel="Save as new version"
        onSubmit={async (values) => {
          const body = updateBody(values, initial, loaded.version);
          try {
            if (body) await api.agents.update(loaded.id, body);
          } catch (err) {
            if (err instanceof HiveApiError && err.code === "CONFLICT") {
              throw new Error(`Someone saved this agent since you opened it (now at a newer version than ${loaded.version}). Reload the page to edit the latest version.`);
            }
            throw err;
          }
          navigate(pathOf("agent", loaded.id));
        }}
        onCancel={() => navigate(pathOf("agent", loaded.id))}
      />
    </Page>
  );
}
