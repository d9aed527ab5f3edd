// /agent/new and /agent/:id/edit.

import { HiveApiError } from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { QueryPage } from "../../layout/query-page";
import { navigate } from "../../router/history";
import { pathOf } from "../../router/match";
import { AgentForm } from "./agent-form";
import { type AgentFormValues, createBody, NEW_AGENT, updateBody, valuesOf } from "./agent-form-state";

export function NewAgentPage() {
  const create = useMutation({
    mutationFn: (values: AgentFormValues) => api.agents.create(createBody(values)),
    onSuccess: (agent) => navigate(pathOf("agent", agent.id)),
    meta: { invalidates: [queryKeys.agents.lists] },
  });
  return (
    <Page title="New agent" lead="Everything can be changed later; each change is stored as a new version.">
      <AgentForm initial={NEW_AGENT} submitLabel="Create agent" save={create} onCancel={() => navigate("/agents")} />
    </Page>
  );
}

export function EditAgentPage({ agentId }: { agentId: string }) {
  const agent = useQuery(queries.agent(agentId));
  const loaded = agent.data;
  const save = useMutation({
    mutationFn: async (values: AgentFormValues) => {
      if (!loaded) return;
      const body = updateBody(values, valuesOf(loaded), loaded.version);
      try {
        if (body) await api.agents.update(loaded.id, body);
      } catch (err) {
        if (err instanceof HiveApiError && err.code === "CONFLICT") {
          const since = `Someone saved this agent since you opened it (now at a newer version than ${loaded.version}).`;
          throw new Error(`${since} Reload the page to edit the latest version.`);
        }
        throw err;
      }
    },
    onSuccess: () => navigate(pathOf("agent", agentId)),
    meta: { invalidates: [queryKeys.agents.all] },
  });
  if (!loaded) {
    return <QueryPage title="Edit agent" query={agent} errorTitle="Could not load the agent" />;
  }
  return (
    <Page
      title={`Edit ${loaded.name}`}
      lead={`Saving stores version ${loaded.version + 1}; version ${loaded.version} stays available for rollback.`}
    >
      <AgentForm
        initial={valuesOf(loaded)}
        submitLabel="Save as new version"
        save={save}
        onCancel={() => navigate(pathOf("agent", loaded.id))}
      />
    </Page>
  );
}
