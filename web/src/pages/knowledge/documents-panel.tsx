// A knowledge base's documents with their ingestion status, refreshed while any is still being
// indexed; filter by status, delete one.
import { useEffect, useId, useState } from "react";
import { DOCUMENT_STATUSES, type DocumentStatus } from "@hive/shared/api-client";
import { api } from "../../api";
import { ConfirmButton } from "../../ui/confirm-button";
import { useCursorPager } from "../../ui/cursor-pager";
import { ACTIONS, DataTable } from "../../ui/data-table";
import { errorText } from "../../ui/error-text";
import { Pager } from "../../ui/pager";
import { Time } from "../../ui/time";
import { useAction } from "../../ui/use-action";
import { useApi } from "../../ui/use-api";
import { formatBytes } from "./upload-panel";

const STATUS_TONE: Record<DocumentStatus, string> = { queued: "tone-neutral", processing: "tone-warn", ready: "tone-ok", failed: "tone-bad" };
const REFRESH_MS = 2000;

export function DocumentsPanel({ kbId, version, onChanged }: { kbId: string; version: number; onChanged: () => void }) {
  const id = useId();
  const pager = useCursorPager();
  const [status, setStatus] = useState<DocumentStatus | "">("");
  const docs = useApi((signal) => api.knowledge.documents(kbId, { limit: 20, cursor: pager.cursor, ...(status ? { status } : {}) }, { signal }), [kbId, pager.cursor, status, version]);
  const remove = useAction(async (docId: string) => {
    await api.knowledge.deleteDocument(kbId, docId);
    onChanged();
  });

  const working = (docs.data?.data ?? []).some((d) => d.status === "queued" || d.status === "processing");
  const { reload } = docs;
  useEffect(() => {
    if (!working) return;
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [working, reload]);

  const rows = docs.data?.data ?? [];
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <div className="toolbar">
        <h2 id={`${id}-heading`}>Documents</h2>
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            className="input"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as DocumentStatus | "");
              pager.reset();
            }}
          >
            <option value="">All</option>
            {(Object.keys(DOCUMENT_STATUSES) as DocumentStatus[]).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      {docs.error ? <p className="field-error">Could not load documents: {errorText(docs.error)}</p> : null}
      {remove.error ? (
        <p className="field-error" role="alert">
          Could not delete: {errorText(remove.error)}
        </p>
      ) : null}
      {docs.data && rows.length === 0 ? <p className="muted">{status ? `No ${status} documents.` : "No documents yet: upload some above."}</p> : null}
      {rows.length ? (
        <DataTable columns={["Name", "Status", { label: "Chunks", num: true }, { label: "Size", num: true }, "Updated", ACTIONS]}>
          {rows.map((d) => (
            <tr key={d.id} data-testid="document-row">
              <th scope="row">
                {d.name}
                <span className="cell-note">
                  {d.content_type}
                  {d.tags.length ? ` · ${d.tags.join(", ")}` : ""}
                </span>
              </th>
              <td>
                <span className={`pill ${STATUS_TONE[d.status]}`} title={DOCUMENT_STATUSES[d.status]} data-testid="document-status">
                  {d.status}
                </span>
                {d.status === "processing" ? <progress className="inline-progress" max={1} value={d.progress} aria-label={`Ingestion of ${d.name}`} /> : null}
                {d.error ? <span className="cell-note check-error">{d.error}</span> : null}
              </td>
              <td className="num">{d.chunk_count}</td>
              <td className="num">{formatBytes(d.size_bytes)}</td>
              <td>
                <Time iso={d.updated_at} />
              </td>
              <td className="row-actions">
                <ConfirmButton label="Delete" question={`Delete ${d.name}?`} confirmLabel="Delete" disabled={remove.busy} onConfirm={() => void remove.run(d.id)} />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <Pager pager={pager} nextCursor={docs.data?.next_cursor} label="Document" />
    </section>
  );
}
