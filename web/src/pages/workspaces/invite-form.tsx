// Workspace admins invite an email address with a role. The answer is the same whether or not
// the address has an account, so the form can only say "invited": the person joins when they
// accept, from their own Members page or `hive workspaces accept`.

import type { WorkspaceRole } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { labelled, SelectField, TextField } from "../../ui/controls";
import { fieldErrors } from "../../ui/error-text";
import { FormPanel } from "../../ui/form-panel";
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
  const at = labelled(id, fields);
  return (
    <FormPanel title="Invite a member" onSubmit={() => invite.mutate(email.trim())}>
      <div className="field-row">
        <TextField {...at("email", "Email")} type="email" required value={email} onValue={setEmail} />
        <SelectField id={`${id}-role`} label="Role" value={role} onValue={(r) => setRole(r as WorkspaceRole)}>
          {WORKSPACE_ROLES.map((r) => (
            <option key={r.role} value={r.role}>
              {r.label}: {r.meaning}
            </option>
          ))}
        </SelectField>
      </div>
      <SubmitRow
        label="Send invitation"
        busyLabel="Inviting…"
        mutation={invite}
        shown={["email"]}
        done={invite.isSuccess ? `Invited ${invite.variables}. ${JOIN_NOTE}` : null}
      />
    </FormPanel>
  );
}
