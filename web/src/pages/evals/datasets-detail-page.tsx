// /evals/datasets/:id: one dataset's cases at a version (the current one unless `?version=` names
// a past one), the case editor, JSONL import and export. Past versions are read-only: every change
// makes a new version, so a run that pinned one stays reproducible.
import type { EvalCase } from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { QueryPage } from "../../layout/query-page";
import { Link } from "../../router/link";
import { updateSearch, useSearchParams } from "../../router/search-params";
import { ConfirmButton } from "../../ui/confirm-button";
import { SelectField } from "../../ui/controls";
import { useCursorPager } from "../../ui/cursor-pager";
import { ACTIONS } from "../../ui/data-table";
import { errorText } from "../../ui/error-text";
import { PagedTable } from "../../ui/list-paged";
import { ListPanel } from "../../ui/list-panel";
import { QueryState } from "../../ui/query-state";
import { CaseEditor } from "./datasets-case-editor";
import { ImportPanel } from "./datasets-import-panel";
import "../../styles/evals-datasets.css";

const inputText = (c: EvalCase) =>
  "message" in c.input ? c.input.message : c.input.messages.map((m) => `${m.role}: ${m.content}`).join("\n");

function expects(c: EvalCase): string {
  const parts = [
    c.expected_output !== undefined ? `“${c.expected_output}”` : "",
    c.must_include?.length ? `must include ${c.must_include.join(", ")}` : "",
    c.must_not_include?.length ? `must not include ${c.must_not_include.join(", ")}` : "",
    c.expected_sources?.length ? `sources ${c.expected_sources.join(", ")}` : "",
    c.expected_tool_calls?.length ? `tools ${c.expected_tool_calls.map((t) => t.name).join(", ")}` : "",
    c.expect_refusal ? "refusal" : "",
  ];
  return parts.filter(Boolean).join("; ") || "—";
}

export function DatasetPage({ datasetId }: { datasetId: string }) {
  const dataset = useQuery(queries.evalDataset(datasetId));
  const asked = Number(useSearchParams().get("version"));
  const pager = useCursorPager("cases");
  const current = dataset.data?.version;
  const version = Number.isInteger(asked) && asked > 0 ? asked : current;
  const cases = useQuery({
    ...queries.evalCases(datasetId, { limit: 50, cursor: pager.cursor, version }),
    enabled: version !== undefined,
  });
  const [editing, setEditing] = useState<EvalCase | "new" | null>(null);
  const remove = useMutation({
    mutationFn: (caseId: string) => api.evalDatasets.deleteCase(datasetId, caseId),
    meta: { invalidates: [queryKeys.evalDatasets.all] },
  });
  if (!dataset.data) return <QueryPage title="Dataset" query={dataset} errorTitle="Could not load the dataset" />;
  const d = dataset.data;
  const isCurrent = version === d.version;
  return (
    <Page
      title={d.name}
      lead={
        <>
          <Link to="/evals/datasets">Datasets</Link> · version {d.version} · {d.case_count} cases
          {d.description ? ` · ${d.description}` : ""}
        </>
      }
      actions={
        <a
          className="button button-secondary"
          href={`/api/evals/datasets/${encodeURIComponent(d.id)}/export?version=${version ?? d.version}`}
          download
        >
          Export JSONL
        </a>
      }
    >
      <ListPanel id="cases-heading" title="Cases" busy={cases.isFetching}>
        <SelectField
          id="dataset-version"
          label="Version"
          value={String(version ?? d.version)}
          onValue={(v) => updateSearch({ version: v === String(d.version) ? null : v, [pager.param]: null })}
        >
          {Array.from({ length: d.version }, (_, i) => d.version - i).map((v) => (
            <option key={v} value={v}>
              {v === d.version ? `${v} (current)` : v}
            </option>
          ))}
        </SelectField>
        <QueryState query={cases} errorTitle="Could not load the cases" />
        {remove.error ? (
          <p className="field-error" role="alert">
            Could not remove: {errorText(remove.error)}
          </p>
        ) : null}
        <PagedTable
          page={cases.data}
          pager={pager}
          label="Case"
          noMatch={<p className="muted">No cases in this version.</p>}
          columns={["Input", "Expects", "Tags", "Added in", ...(isCurrent ? [ACTIONS] : [])]}
          row={(c) => (
            <tr key={c.id} data-testid="case-row">
              <th scope="row" className="pre-line">
                {inputText(c)}
              </th>
              <td>{expects(c)}</td>
              <td>{c.tags?.join(", ") || "—"}</td>
              <td className="num">v{c.added_in}</td>
              {isCurrent ? (
                <td className="row-actions">
                  <button type="button" className="button button-secondary" onClick={() => setEditing(c)}>
                    Edit
                  </button>
                  <ConfirmButton
                    label="Remove"
                    question="Remove this case from the next version?"
                    confirmLabel="Remove"
                    disabled={remove.isPending}
                    onConfirm={() => remove.mutate(c.id)}
                  />
                </td>
              ) : null}
            </tr>
          )}
        />
        {isCurrent && editing === null ? (
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setEditing("new")}>
              Add a case
            </button>
          </div>
        ) : null}
      </ListPanel>
      {editing !== null ? (
        <section className="panel">
          <CaseEditor
            key={editing === "new" ? "new" : editing.id}
            datasetId={d.id}
            original={editing === "new" ? null : editing}
            onDone={() => setEditing(null)}
          />
        </section>
      ) : null}
      <section className="panel">
        <ImportPanel datasetId={d.id} />
      </section>
    </Page>
  );
}
