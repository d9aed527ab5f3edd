// Creates a workspace (the caller becomes its admin) and switches the dashboard to it.
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api } from "../../api/client";
import { Field } from "../../ui/field";
import { SubmitRow } from "../../ui/submit-row";
import { useSession } from "../auth/session";

export function NewWorkspaceForm() {
  const id = useId();
  const session = useSession();
  const [name, setName] = useState("");
  // Switching empties the query cache and remounts the page, so nothing needs invalidating.
  const create = useMutation({
    mutationFn: () => api.workspaces.create({ name: name.trim() }),
    onSuccess: (workspace) => session.switchWorkspace(workspace.id),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New workspace</h2>
      <p className="muted">
        A separate tenant with its own agents, knowledge, keys and audit log. You become its admin.
      </p>
      <form className="form" onSubmit={submit}>
        <div className="field-row">
          <Field id={`${id}-name`} label="Name">
            <input
              id={`${id}-name`}
              className="input"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
        </div>
        <SubmitRow label="Create and switch" busyLabel="Creating…" mutation={create} />
      </form>
    </section>
  );
}
