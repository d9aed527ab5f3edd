// /audit: the current workspace's audit log for its admins and read-only reviewers, filtered,
// a page at a time (cursor pages: "previous" returns to the cursors already seen).
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
import { AuditFiltersForm, filtersFromSearch, filtersToSearch, toQuery } from "./audit-filters";
import { AUDIT_COLUMNS, AuditRow } from "./audit-table";

const PAGE_SIZE = 25;

export function AuditPage() {
  const me = useMe();
  const { filters, pager, page, apply } = useAddressFilters(filtersFromSearch, filtersToSearch, PAGE_SIZE);
  const log = useQuery(queries.audit({ ...toQuery(filters), ...page }));

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
      <FiltersPanel id="audit-filter-heading">
        {/* Back or forward to other filters: the form starts again from them. */}
        <AuditFiltersForm
          key={JSON.stringify(filters)}
          initial={filters}
          canReadAll={isPlatformAdmin(me)}
          onApply={apply}
        />
      </FiltersPanel>
      <QueryState query={log} errorTitle="Could not load the audit log" />
      <ListPanel id="audit-heading" title="Entries" busy={log.isFetching}>
        <PagedTable
          page={log.data}
          pager={pager}
          label="Audit log"
          noMatch={<p className="muted">No entries match.</p>}
          columns={AUDIT_COLUMNS}
          row={(e) => <AuditRow key={e.id} entry={e} />}
        />
      </ListPanel>
    </Page>
  );
}
