// /safety: the guard pipeline for this workspace. Its events (for admins and read-only
// reviewers, as the API allows), a playground that checks any text, and the workspace policy.
import { useQuery } from "@tanstack/react-query";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { useAddressFilters } from "../../ui/filters-in-address";
import { PagedTable } from "../../ui/list-paged";
import { ListPanel } from "../../ui/list-panel";
import { QueryState } from "../../ui/query-state";
import { mayOpen } from "../auth/access";
import { useMe } from "../auth/session";
import { EventFiltersForm, eventFiltersFromSearch, eventFiltersToSearch, toEventQuery } from "./event-filters";
import { EVENT_COLUMNS, EventRow } from "./events-table";
import { Playground } from "./playground";
import { WorkspacePolicy } from "./workspace-policy";
import "../../styles/safety.css";

const PAGE_SIZE = 25;

function Events() {
  const { filters, pager, page, apply } = useAddressFilters(eventFiltersFromSearch, eventFiltersToSearch, PAGE_SIZE);
  const events = useQuery(queries.safetyEvents({ ...toEventQuery(filters), ...page }));
  return (
    <ListPanel id="safety-events-heading" title="Events" busy={events.isFetching}>
      {/* Back or forward to other filters: the form starts again from them. */}
      <EventFiltersForm key={JSON.stringify(filters)} initial={filters} onApply={apply} />
      <QueryState query={events} errorTitle="Could not load the safety events" compact />
      <PagedTable
        page={events.data}
        pager={pager}
        label="Safety events"
        noMatch={<p className="muted">No events match.</p>}
        columns={EVENT_COLUMNS}
        row={(e) => <EventRow key={e.id} event={e} />}
      />
    </ListPanel>
  );
}

export function SafetyPage() {
  const me = useMe();
  return (
    <Page
      title="Safety"
      lead="What the guard found in messages, retrieved knowledge, tool results and answers, and what it did."
    >
      {mayOpen("auditor", me) ? (
        <Events />
      ) : (
        <p className="notice">Only the workspace&apos;s admins and read-only reviewers can see safety events.</p>
      )}
      <Playground />
      <WorkspacePolicy />
    </Page>
  );
}
