// Workspace admins add an existing account by email, with a role.
import { useId, useState, type FormEvent } from "react";
import { HiveApiError, type WorkspaceRole } from "../../../../shared/api-client";
import { describedBy, Field } from "../../ui/field";
import { fieldErrors } from "../../ui/error-text";
import { FormError } from "../../ui/form-error";
import { useAction } from "../../ui/use-action";
import { WORKSPACE_ROLES } from "./roles";

const isUnknownAccount = (error: unknown) => error instanceof HiveApiError && error.status === 404;

export function AddMemberForm({ onAdd }: { onAdd: (email: string, role: WorkspaceRole) => Promise<void> }) {
  const id = useId();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<WorkspaceRole>("user");
  const [added, setAdded] = useState<string | null>(null);
  const add = useAction(async () => {
    await onAdd(email.trim(), role);
    setAdded(email.trim());
    setEmail("");
  });
  const fields = fieldErrors(add.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAdded(null);
    void add.run();
  };
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add a member</h2>
      <form className="form" onSubmit={submit}>
        <div className="field-row">
          <Field id={`${id}-email`} label="Email" error={fields.email}>
            <input
              id={`${id}-email`}
              className="input"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={fields.email ? true : undefined}
              aria-describedby={describedBy(`${id}-email`, false, fields.email)}
            />
          </Field>
          <Field id={`${id}-role`} label="Role">
            <select id={`${id}-role`} className="input" value={role} onChange={(e) => setRole(e.target.value as WorkspaceRole)}>
              {WORKSPACE_ROLES.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.label}: {r.meaning}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={add.busy}>
            {add.busy ? "Adding…" : "Add member"}
          </button>
          {added ? (
            <span role="status" className="muted">
              Added {added}.
            </span>
          ) : null}
        </div>
        {isUnknownAccount(add.error) ? (
          // The API's "User not found" does not say what to do about it.
          <p className="field-error" role="alert">
            No account has that email. A platform administrator can create one on the Users page; then add it here.
          </p>
        ) : (
          <FormError error={add.error} shown={["email"]} />
        )}
      </form>
    </section>
  );
}
