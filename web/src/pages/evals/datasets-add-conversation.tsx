// "Add to dataset" on a conversation: pick a dataset, and the conversation's last answer becomes
// a case (its question as input; its answer, cited documents and tool calls as expectations).
import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { SelectField } from "../../ui/controls";
import { submitted } from "../../ui/form-panel";
import { SubmitRow } from "../../ui/submit-row";
import "../../styles/evals-datasets.css";

export function AddToDataset({ conversationId }: { conversationId: string }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const datasets = useQuery({ ...queries.evalDatasets({ limit: 100 }), enabled: open });
  const [chosen, setChosen] = useState("");
  const datasetId = chosen || datasets.data?.data[0]?.id || "";
  const add = useMutation({
    mutationFn: () => api.evalDatasets.fromConversation(datasetId, { conversation_id: conversationId }),
    meta: { invalidates: [queryKeys.evalDatasets.all] },
  });
  if (!open) {
    return (
      <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
        Add to dataset
      </button>
    );
  }
  const list = datasets.data?.data ?? [];
  return (
    <form className="form inline-form" onSubmit={(e) => submitted(e, () => add.mutate())} aria-label="Add to dataset">
      {datasets.data && list.length === 0 ? (
        <p className="muted">
          No datasets yet: <Link to="/evals/datasets">create one</Link>.
        </p>
      ) : (
        <SelectField id={`${id}-dataset`} label="Dataset" value={datasetId} onValue={setChosen}>
          {list.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </SelectField>
      )}
      <SubmitRow
        label="Add the last answer"
        busyLabel="Adding…"
        mutation={add}
        disabled={!datasetId}
        done={add.data ? `Added to ${add.data.dataset.name} (version ${add.data.dataset.version}).` : null}
      >
        {add.data ? <Link to={pathOf("evals", "datasets", add.data.dataset.id)}>Open the dataset</Link> : null}
      </SubmitRow>
    </form>
  );
}
