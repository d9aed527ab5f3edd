// /traces: the workspace's kept traces for its admins and read-only reviewers, filtered (the
// filters live in the address), a page at a time; each opens its waterfall at /traces/:id.
import { useQuery } from "@tanstack/react-query";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { updateSearch, useSearchParams } from "../../router/search-params";
import { useCursorPager } from "../../ui/cursor-pager";
import { Pager } from "../../ui/pager";
import { QueryState } from "../../ui/query-state";
import { isPlatformAdmin } from "../auth/access";
import { useMe } from "../auth/session";
import {
  type TraceDraft,
  TraceFiltersForm,
  traceFiltersFromSearch,
  traceFiltersToSearch,
  traceQuery,
} from "./trace-filters";
import { TracesTable } from "./traces-table";
import "../../styles/traces.css";

const PAGE_SIZE = 25;

export function TracesPage() {
  const me = useMe();
  const pager = useCursorPager();
  const filters = traceFiltersFromSearch(useSearchParams());
  const list = useQuery(queries.traces({ ...traceQuery(filters), limit: PAGE_SIZE, cursor: pager.cursor }));
  const apply = (next: TraceDraft) => updateSearch({ ...traceFiltersToSearch(next), [pager.param]: null });

  return (
    <Page
      title="Traces"
      lead={
        <>
          Requests in <strong>{me.workspace.name}</strong> followed through the Worker, Durable Objects, queues and
          model calls. Every error, blocked, degraded and slow request is kept, and a share of the rest.
        </>
      }
    >
      <section className="panel" aria-labelledby="trace-filter-heading">
        <h2 id="trace-filter-heading">Filters</h2>
        <TraceFiltersForm
          key={JSON.stringify(filters)}
          initial={filters}
          canReadAll={isPlatformAdmin(me)}
          onApply={apply}
        />
      </section>
      <QueryState query={list} errorTitle="Could not load the traces" />
      <section className="panel" aria-labelledby="traces-heading" aria-busy={list.isFetching}>
        <h2 id="traces-heading">Traces</h2>
        {list.data && list.data.data.length === 0 ? <p className="muted">No traces match.</p> : null}
        {list.data && list.data.data.length > 0 ? <TracesTable traces={list.data.data} /> : null}
        <Pager pager={pager} nextCursor={list.data?.next_cursor} label="Traces" />
      </section>
    </Page>
  );
}
