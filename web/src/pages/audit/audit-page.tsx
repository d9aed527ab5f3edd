// /audit: the current workspace's audit log for its admins and read-only reviewers, filtered,
// a page at a time (cursor pages: "previous" returns to the cursors already seen).
import { useQuery } from "@tanstack/react-query";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { updateSearch, useSearchParams } from "../../router/search-params";
import { useCursorPager } from "../../ui/cursor-pager";
import { Pager } from "../../ui/pager";
import { QueryState } from "../../ui/query-state";
import { isPlatformAdmin } from "../auth/access";
import { useMe } from "../auth/session";
import { AuditFiltersForm, type FilterDraft, filtersFromSearch, filtersToSearch, toQuery } from "./audit-filters";
import { AuditTable } from "./audit-table";

const PAGE_SIZE = 25;

export function AuditPage() {
  const me = useMe();
  const pager = useCursorPager();
  const filters = filtersFromSearch(useSearchParams());
  const params = { ...toQuery(filters), limit: PAGE_SIZE, cursor: pager.cursor };
  const log = useQuery(queries.audit(params));
  const apply = (next: FilterDraft) => updateSearch({ ...filtersToSearch(next), [pager.param]: null });

  return (
    <Page
      title="Audit log"
      lead={
        <>
          Every change and every sign-in in <strong>{me.workspace.name}</strong>, newest first. Entries cannot be
          changed or deleted.
        </>
      }
    >
      <section className="panel" aria-labelledby="audit-filter-heading">
        <h2 id="audit-filter-heading">Filters</h2>
        {/* Back or forward to other filters: the form starts again from them. */}
        <AuditFiltersForm
          key={JSON.stringify(filters)}
          initial={filters}
          canReadAll={isPlatformAdmin(me)}
          onApply={apply}
        />
      </section>
      <QueryState query={log} errorTitle="Could not load the audit log" />
      <section className="panel" aria-labelledby="audit-heading" aria-busy={log.isFetching}>
        <h2 id="audit-heading">Entries</h2>
        {log.data && log.data.data.length === 0 ? <p className="muted">No entries match.</p> : null}
        {log.data && log.data.data.length > 0 ? <AuditTable entries={log.data.data} /> : null}
        <Pager pager={pager} nextCursor={log.data?.next_cursor} label="Audit log" />
      </section>
    </Page>
  );
}
