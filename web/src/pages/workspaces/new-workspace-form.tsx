// Creates a workspace (the caller becomes its admin) and switches the dashboard to it.
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api } from "../../api/client";
import { TextField } from "../../ui/controls";
import { FormPanel } from "../../ui/form-panel";
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
  return (
    <FormPanel
      title="New workspace"
      lead="A separate tenant with its own agents, knowledge, keys and audit log. You become its admin."
      onSubmit={() => create.mutate()}
    >
      <div className="field-row">
        <TextField id={`${id}-name`} label="Name" required maxLength={100} value={name} onValue={setName} />
      </div>
      <SubmitRow label="Create and switch" busyLabel="Creating…" mutation={create} />
    </FormPanel>
  );
}
