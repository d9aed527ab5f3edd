// Workspace admins invite an email address with a role. The answer is the same whether or not
// the address has an account, so the form can only say "invited": the person joins when they
// accept, from their own Members page or `hive workspaces accept`.
import { useId, useState, type FormEvent } from "react";
import type { WorkspaceRole } from "@hive/shared/api-client";
import { describedBy, Field } from "../../ui/field";
import { fieldErrors } from "../../ui/error-text";
import { FormError } from "../../ui/form-error";
import { useAction } from "../../ui/use-action";
import { WORKSPACE_ROLES } from "./roles";

export function InviteForm({ onInvite }: { onInvite: (email: string, role: WorkspaceRole) => Promise<void> }) {
  const id = useId();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<WorkspaceRole>("user");
  const [invited, setInvited] = useState<string | null>(null);
  const invite = useAction(async () => {
    await onInvite(email.trim(), role);
    setInvited(email.trim());
    setEmail("");
  });
  const fields = fieldErrors(invite.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setInvited(null);
    void invite.run();
  };
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Invite a member</h2>
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
          <button type="submit" className="button" disabled={invite.busy}>
            {invite.busy ? "Inviting…" : "Send invitation"}
          </button>
          {invited ? (
            <span role="status" className="muted">
              Invited {invited}. They join when they accept it, signed in with that email.
            </span>
          ) : null}
        </div>
        <FormError error={invite.error} shown={["email"]} />
      </form>
    </section>
  );
}
