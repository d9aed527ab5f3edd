// /traces: the workspace's kept traces for its admins and read-only reviewers, filtered (the
// filters live in the address), a page at a time; each opens its waterfall at /traces/:id.
import { useQuery } from "@tanstack/react-query";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { useAddressFilters } from "../../ui/filters-in-address";
import { FiltersPanel } from "../../ui/filters-panel";
import { PagedTable } from "../../ui/list-paged";
import { ListPanel } from "../../ui/list-panel";
import { QueryState } from "../../ui/query-state";
import { isPlatformAdmin } from "../auth/access";
import { useMe } from "../auth/session";
import { TraceFiltersForm, traceFiltersFromSearch, traceFiltersToSearch, traceQuery } from "./trace-filters";
import { TRACE_COLUMNS, TraceRow } from "./traces-table";
import "../../styles/traces.css";

const PAGE_SIZE = 25;

export function TracesPage() {
  const me = useMe();
  const { filters, pager, page, apply } = useAddressFilters(traceFiltersFromSearch, traceFiltersToSearch, PAGE_SIZE);
  const list = useQuery(queries.traces({ ...traceQuery(filters), ...page }));

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
      <FiltersPanel id="trace-filter-heading">
        <TraceFiltersForm
          key={JSON.stringify(filters)}
          initial={filters}
          canReadAll={isPlatformAdmin(me)}
          onApply={apply}
        />
      </FiltersPanel>
      <QueryState query={list} errorTitle="Could not load the traces" />
      <ListPanel id="traces-heading" title="Traces" busy={list.isFetching}>
        <PagedTable
          page={list.data}
          pager={pager}
          label="Traces"
          noMatch={<p className="muted">No traces match.</p>}
          columns={TRACE_COLUMNS}
          row={(t) => <TraceRow key={t.trace_id} trace={t} />}
        />
      </ListPanel>
    </Page>
  );
}
