// Workspace admins invite an email address with a role. The answer is the same whether or not
// the address has an account, so the form can only say "invited": the person joins when they
// accept, from their own Members page or `hive workspaces accept`.

import type { WorkspaceRole } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { fieldErrors } from "../../ui/error-text";
import { describedBy, Field } from "../../ui/field";
import { SubmitRow } from "../../ui/submit-row";
import { WORKSPACE_ROLES } from "./roles";

const JOIN_NOTE = "They join when they accept it, signed in with that email.";

export function InviteForm({ workspaceId }: { workspaceId: string }) {
  const id = useId();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<WorkspaceRole>("user");
  const invite = useMutation({
    mutationFn: (to: string) => api.invitations.invite(workspaceId, { email: to, role }),
    onSuccess: () => setEmail(""),
    meta: { invalidates: [queryKeys.invitations.all] },
  });
  const fields = fieldErrors(invite.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate(email.trim());
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
            <select
              id={`${id}-role`}
              className="input"
              value={role}
              onChange={(e) => setRole(e.target.value as WorkspaceRole)}
            >
              {WORKSPACE_ROLES.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.label}: {r.meaning}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <SubmitRow
          label="Send invitation"
          busyLabel="Inviting…"
          mutation={invite}
          shown={["email"]}
          done={invite.isSuccess ? `Invited ${invite.variables}. ${JOIN_NOTE}` : null}
        />
      </form>
    </section>
  );
}
