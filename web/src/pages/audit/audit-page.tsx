// /audit: the current workspace's audit log for its admins and read-only reviewers, filtered,
// a page at a time (cursor pages: "previous" returns to the cursors already seen).
import { useState } from "react";
import { api } from "../../api";
import { Page } from "../../layout/page";
import { useCursorPager } from "../../ui/cursor-pager";
import { ErrorPanel } from "../../ui/error-panel";
import { Pager } from "../../ui/pager";
import { useApi } from "../../ui/use-api";
import { isPlatformAdmin } from "../auth/access";
import { useMe } from "../auth/session";
import { AuditFiltersForm, NO_FILTERS, toQuery, type FilterDraft } from "./audit-filters";
import { AuditTable } from "./audit-table";

const PAGE_SIZE = 25;

export function AuditPage() {
  const me = useMe();
  const pager = useCursorPager();
  const [filters, setFilters] = useState<FilterDraft>(NO_FILTERS);
  const log = useApi((signal) => api.audit.list({ ...toQuery(filters), limit: PAGE_SIZE, cursor: pager.cursor }, { signal }), [filters, pager.cursor]);
  const apply = (next: FilterDraft) => {
    pager.reset();
    setFilters(next);
  };

  return (
    <Page title="Audit log" lead={<>Every change and every sign-in in <strong>{me.workspace.name}</strong>, newest first. Entries cannot be changed or deleted.</>}>
      <section className="panel" aria-labelledby="audit-filter-heading">
        <h2 id="audit-filter-heading">Filters</h2>
        <AuditFiltersForm initial={filters} canReadAll={isPlatformAdmin(me)} onApply={apply} />
      </section>
      {log.error ? <ErrorPanel title="Could not load the audit log" error={log.error} onRetry={log.reload} /> : null}
      <section className="panel" aria-labelledby="audit-heading" aria-busy={log.loading}>
        <h2 id="audit-heading">Entries</h2>
        {log.data && log.data.data.length === 0 ? <p className="muted">No entries match.</p> : null}
        {log.data && log.data.data.length > 0 ? <AuditTable entries={log.data.data} /> : null}
        <Pager pager={pager} nextCursor={log.data?.next_cursor} label="Audit log" />
      </section>
    </Page>
  );
}
