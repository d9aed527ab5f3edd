// /agents: every agent the caller can see, a page at a time (the page is in the address).

import { AGENT_TOOLS } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { useCursorPager } from "../../ui/cursor-pager";
import { ACTIONS, numeric } from "../../ui/data-table";
import { PagedTable } from "../../ui/list-paged";
import { PageLink } from "../../ui/page-link";
import { QueryState } from "../../ui/query-state";
import { NameCell } from "../../ui/table-cells";
import { TimeCell } from "../../ui/time";

const PAGE_SIZE = 20;

export function AgentsPage() {
  const pager = useCursorPager();
  const params = { limit: PAGE_SIZE, cursor: pager.cursor };
  const agents = useQuery(queries.agents(params));
  return (
    <Page
      title="Agents"
      lead={
        <>
          Define agents, version their configuration and talk to them. Everything here is also in the{" "}
          <a href="/api/docs">API reference</a>.
        </>
      }
      actions={
        <>
          <PageLink to="/conversations">Conversations</PageLink>
          <PageLink to="/agent/new" main>
            New agent
          </PageLink>
        </>
      }
    >
      <section className="panel" aria-labelledby="agents-heading" aria-busy={agents.isFetching}>
        <h2 id="agents-heading" className="visually-hidden">
          Agent list
        </h2>
        <PagedTable
          page={agents.data}
          pager={pager}
          label="Agent list"
          empty={
            <p>
              No agents yet. <Link to="/agent/new">Create the first one</Link>: it answers with the built-in offline
              model until you choose another.
            </p>
          }
          columns={["Name", "Model", "Tools", numeric("Version"), "Updated", ACTIONS]}
          row={(agent) => (
            <tr key={agent.id} data-testid="agent-row">
              <NameCell to={pathOf("agent", agent.id)} name={agent.name} note={agent.description} />
              <td>
                <code>
                  {agent.definition.model.provider}:{agent.definition.model.id}
                </code>
              </td>
              <td>
                {agent.definition.tools.map((t) => AGENT_TOOLS[t].label).join(", ") || (
                  <span className="muted">none</span>
                )}
              </td>
              <td className="num">v{agent.version}</td>
              <TimeCell iso={agent.updated_at} />
              <td className="row-actions">
                <Link to={pathOf("agent", agent.id, "chat")}>Chat</Link>
              </td>
            </tr>
          )}
        >
          <QueryState query={agents} errorTitle="Could not load agents" loading="Loading agents…" compact />
        </PagedTable>
      </section>
    </Page>
  );
}
