// A knowledge base's documents with their ingestion status, refreshed while any is still being
// indexed; filter by status (kept in the address with the page), delete one.

import { DOCUMENT_STATUSES, type DocumentStatus, type KnowledgeDocument } from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { updateSearch, useSearchParams } from "../../router/search-params";
import { SelectField } from "../../ui/controls";
import { useCursorPager } from "../../ui/cursor-pager";
import { ACTIONS, numeric } from "../../ui/data-table";
import { ChoiceOptions, itself } from "../../ui/field-choice";
import { DeleteError, DeleteRowButton } from "../../ui/list-delete";
import { PagedTable } from "../../ui/list-paged";
import { QueryState } from "../../ui/query-state";
import { Time } from "../../ui/time";
import { SourceLink } from "./source-link";
import { formatBytes } from "./upload-panel";

const STATUS_TONE: Record<DocumentStatus, string> = {
  queued: "tone-neutral",
  processing: "tone-warn",
  ready: "tone-ok",
  failed: "tone-bad",
};
const STATUSES = Object.keys(DOCUMENT_STATUSES) as DocumentStatus[];
const REFRESH_MS = 2000;

const isStatus = (s: string): s is DocumentStatus => s in DOCUMENT_STATUSES;
const working = (docs: readonly KnowledgeDocument[] | undefined) =>
  (docs ?? []).some((d) => d.status === "queued" || d.status === "processing");

export function DocumentsPanel({ kbId }: { kbId: string }) {
  const id = useId();
  const pager = useCursorPager();
  const wanted = useSearchParams().get("status") ?? "";
  const status = isStatus(wanted) ? wanted : "";
  const params = { limit: 20, cursor: pager.cursor, ...(status ? { status } : {}) };
  const docs = useQuery({
    ...queries.documents(kbId, params),
    refetchInterval: (query) => (working(query.state.data?.data) ? REFRESH_MS : false),
  });
  // The knowledge base's counts change with its documents.
  const remove = useMutation({
    mutationFn: (docId: string) => api.knowledge.deleteDocument(kbId, docId),
    meta: { invalidates: [queryKeys.knowledge.detail(kbId), queryKeys.knowledge.lists] },
  });

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <div className="toolbar">
        <h2 id={`${id}-heading`}>Documents</h2>
        <SelectField
          id={`${id}-status`}
          label="Status"
          value={status}
          onValue={(v) => updateSearch({ status: v || null, [pager.param]: null })}
        >
          <option value="">All</option>
          <ChoiceOptions choices={STATUSES} option={itself} />
        </SelectField>
      </div>
      <QueryState query={docs} errorTitle="Could not load documents" compact />
      <DeleteError remove={remove} />
      <PagedTable
        page={docs.data}
        pager={pager}
        label="Document"
        noMatch={<p className="muted">{status ? `No ${status} documents.` : "No documents yet: upload some above."}</p>}
        columns={["Name", "Status", numeric("Chunks"), numeric("Size"), "Updated", ACTIONS]}
        row={(d) => (
          <tr key={d.id} data-testid="document-row">
            <th scope="row">
              {d.name}
              <span className="cell-note">
                {d.content_type}
                {d.tags.length ? ` · ${d.tags.join(", ")}` : ""}
              </span>
              <SourceLink url={d.source_url} />
            </th>
            <td>
              <span
                className={`pill ${STATUS_TONE[d.status]}`}
                title={DOCUMENT_STATUSES[d.status]}
                data-testid="document-status"
              >
                {d.status}
              </span>
              {d.status === "processing" ? (
                <progress
                  className="inline-progress"
                  max={1}
                  value={d.progress}
                  aria-label={`Ingestion of ${d.name}`}
                />
              ) : null}
              {d.error ? <span className="cell-note check-error">{d.error}</span> : null}
            </td>
            <td className="num">{d.chunk_count}</td>
            <td className="num">{formatBytes(d.size_bytes)}</td>
            <td>
              <Time iso={d.updated_at} />
            </td>
            <td className="row-actions">
              <DeleteRowButton remove={remove} id={d.id} question={`Delete ${d.name}?`} />
            </td>
          </tr>
        )}
      />
    </section>
  );
}
