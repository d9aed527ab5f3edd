// Creates a workspace (the caller becomes its admin) and switches the dashboard to it.
import { useId, useState, type FormEvent } from "react";
import { api } from "../../api";
import { Field } from "../../ui/field";
import { FormError } from "../../ui/form-error";
import { useAction } from "../../ui/use-action";
import { useSession } from "../auth/session";

export function NewWorkspaceForm() {
  const id = useId();
  const session = useSession();
  const [name, setName] = useState("");
  const create = useAction(async () => {
    const workspace = await api.workspaces.create({ name: name.trim() });
    await session.switchWorkspace(workspace.id);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New workspace</h2>
      <p className="muted">A separate tenant with its own agents, knowledge, keys and audit log. You become its admin.</p>
      <form className="form" onSubmit={submit}>
        <div className="field-row">
          <Field id={`${id}-name`} label="Name">
            <input id={`${id}-name`} className="input" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={create.busy}>
            {create.busy ? "Creating…" : "Create and switch"}
          </button>
        </div>
        <FormError error={create.error} />
      </form>
    </section>
  );
}
