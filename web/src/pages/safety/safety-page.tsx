// /safety: the guard pipeline for this workspace. Its events (for admins and read-only
// reviewers, as the API allows), a playground that checks any text, and the workspace policy.
import { useQuery } from "@tanstack/react-query";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { updateSearch, useSearchParams } from "../../router/search-params";
import { useCursorPager } from "../../ui/cursor-pager";
import { Pager } from "../../ui/pager";
import { QueryState } from "../../ui/query-state";
import { mayOpen } from "../auth/access";
import { useMe } from "../auth/session";
import {
  type EventFilterDraft,
  EventFiltersForm,
  eventFiltersFromSearch,
  eventFiltersToSearch,
  toEventQuery,
} from "./event-filters";
import { EventsTable } from "./events-table";
import { Playground } from "./playground";
import { WorkspacePolicy } from "./workspace-policy";
import "../../styles/safety.css";

const PAGE_SIZE = 25;

function Events() {
  const pager = useCursorPager();
  const filters = eventFiltersFromSearch(useSearchParams());
  const params = { ...toEventQuery(filters), limit: PAGE_SIZE, cursor: pager.cursor };
  const events = useQuery(queries.safetyEvents(params));
  const apply = (next: EventFilterDraft) => updateSearch({ ...eventFiltersToSearch(next), [pager.param]: null });
  return (
    <section className="panel" aria-labelledby="safety-events-heading" aria-busy={events.isFetching}>
      <h2 id="safety-events-heading">Events</h2>
      {/* Back or forward to other filters: the form starts again from them. */}
      <EventFiltersForm key={JSON.stringify(filters)} initial={filters} onApply={apply} />
      <QueryState query={events} errorTitle="Could not load the safety events" compact />
      {events.data && events.data.data.length === 0 ? <p className="muted">No events match.</p> : null}
      {events.data && events.data.data.length > 0 ? <EventsTable events={events.data.data} /> : null}
      <Pager pager={pager} nextCursor={events.data?.next_cursor} label="Safety events" />
    </section>
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
