// /evals/datasets: the workspace's evaluation datasets; create one (it opens, ready for cases or
// a JSONL import), open one, delete one. The page of the list is in the address.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { navigate } from "../../router/history";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { labelled } from "../../ui/controls";
import { useCursorPager } from "../../ui/cursor-pager";
import { ACTIONS, numeric } from "../../ui/data-table";
import { fieldErrors } from "../../ui/error-text";
import { NameFields, useNames } from "../../ui/field-name";
import { submitted } from "../../ui/form-panel";
import { DeleteError, DeleteRowButton } from "../../ui/list-delete";
import { PagedTable } from "../../ui/list-paged";
import { ListPanel } from "../../ui/list-panel";
import { QueryState } from "../../ui/query-state";
import { SubmitRow } from "../../ui/submit-row";
import { NameCell } from "../../ui/table-cells";
import { Time } from "../../ui/time";

function CreateDatasetForm() {
  const id = useId();
  const names = useNames();
  const create = useMutation({
    mutationFn: () => api.evalDatasets.create({ name: names.name, description: names.description }),
    onSuccess: (dataset) => navigate(pathOf("evals", "datasets", dataset.id)),
    meta: { invalidates: [queryKeys.evalDatasets.lists] },
  });
  const at = labelled(id, fieldErrors(create.error));
  return (
    <form className="form" onSubmit={(e) => submitted(e, () => create.mutate())} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>New dataset</h2>
      <div className="field-row">
        <NameFields at={at} nameMax={200} {...names} />
      </div>
      <SubmitRow label="Create dataset" busyLabel="Creating…" mutation={create} shown={["name", "description"]} />
    </form>
  );
}

export function DatasetsPage() {
  const pager = useCursorPager();
  const list = useQuery(queries.evalDatasets({ limit: 20, cursor: pager.cursor }));
  const remove = useMutation({
    mutationFn: (id: string) => api.evalDatasets.delete(id),
    meta: { invalidates: [queryKeys.evalDatasets.all] },
  });
  return (
    <Page title="Datasets" lead={<Link to="/evals">Evaluations</Link>}>
      <QueryState query={list} errorTitle="Could not load datasets" />
      <ListPanel id="datasets-heading" title="Datasets" busy={list.isFetching}>
        <DeleteError remove={remove} />
        <PagedTable
          page={list.data}
          pager={pager}
          label="Dataset"
          empty={<p className="muted">No datasets yet. Create one below, then add cases or import a JSONL file.</p>}
          columns={["Name", numeric("Version"), numeric("Cases"), "Updated", ACTIONS]}
          row={(d) => (
            <tr key={d.id} data-testid="dataset-row">
              <NameCell to={pathOf("evals", "datasets", d.id)} name={d.name} note={d.description} />
              <td className="num">{d.version}</td>
              <td className="num">{d.case_count}</td>
              <td>
                <Time iso={new Date(d.updated_at).toISOString()} />
              </td>
              <td className="row-actions">
                <DeleteRowButton
                  remove={remove}
                  id={d.id}
                  question={`Delete ${d.name}? Runs that used it keep their cases.`}
                />
              </td>
            </tr>
          )}
        />
      </ListPanel>
      <section className="panel">
        <CreateDatasetForm />
      </section>
    </Page>
  );
}
