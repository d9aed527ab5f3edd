// Import a JSONL file into a dataset as one new version, appended or replacing every case. A file
// with bad lines is refused whole; each bad line is listed with what is wrong with it.
import type { EvalImportLineError } from "@hive/shared/api-client";
import { HiveApiError } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { SelectField } from "../../ui/controls";
import { submitted } from "../../ui/form-panel";
import { SubmitRow } from "../../ui/submit-row";

const badLines = (error: unknown): EvalImportLineError[] =>
  error instanceof HiveApiError && Array.isArray(error.details.lines)
    ? (error.details.lines as EvalImportLineError[])
    : [];

export function ImportPanel({ datasetId }: { datasetId: string }) {
  const id = useId();
  const file = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<"append" | "replace">("append");
  const run = useMutation({
    mutationFn: async () => {
      const picked = file.current?.files?.[0];
      if (!picked) throw new Error("Choose a .jsonl file first");
      return api.evalDatasets.import(datasetId, await picked.text(), mode);
    },
    meta: { invalidates: [queryKeys.evalDatasets.all] },
  });
  const lines = badLines(run.error);
  const done = run.data
    ? `Imported ${run.data.added} cases${run.data.removed ? `, removed ${run.data.removed}` : ""}: version ${run.data.dataset.version}.`
    : null;
  return (
    <form className="form" onSubmit={(e) => submitted(e, () => run.mutate())} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Import JSONL</h2>
      <p className="muted">One case per line (see docs/evals.md). The whole file becomes one new version.</p>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-file`}>File</label>
          <input id={`${id}-file`} ref={file} className="input" type="file" accept=".jsonl,.ndjson,.txt" required />
        </div>
        <SelectField id={`${id}-mode`} label="Mode" value={mode} onValue={(v) => setMode(v as "append" | "replace")}>
          <option value="append">Append to the current cases</option>
          <option value="replace">Replace every case</option>
        </SelectField>
      </div>
      <SubmitRow
        label="Import"
        busyLabel="Importing…"
        mutation={run}
        done={done}
        shown={lines.length ? ["lines"] : []}
      />
      {lines.length > 0 ? (
        <ul className="plain-list field-error" data-testid="import-errors">
          {lines.map((l) => (
            <li key={`${l.line}:${l.path}`}>
              line {l.line}
              {l.path ? (
                <>
                  {" "}
                  <code>{l.path}</code>
                </>
              ) : null}
              : {l.message}
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
