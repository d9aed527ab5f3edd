// The workspace's default safety policy: its overrides of the platform default in the shared
// editor, saved together (PUT) or dropped (DELETE, back to the platform default), and the
// effective policy the guard applies. Only workspace admins edit; the API answers 403 to others.

import type { SafetyPolicy, WorkspaceSafetyPolicy } from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { ConfirmButton } from "../../ui/confirm-button";
import { FormError } from "../../ui/form-error";
import { QueryState } from "../../ui/query-state";
import { SubmitRow } from "../../ui/submit-row";
import { Time } from "../../ui/time";
import { isWorkspaceAdmin } from "../auth/access";
import { useMe } from "../auth/session";
import { EffectivePolicyTable, PolicyEditor } from "./policy-editor";

export function WorkspacePolicy() {
  const me = useMe();
  const workspaceId = me.workspace.id;
  const stored = useQuery(queries.safetyPolicy(workspaceId));
  return (
    <section className="panel" aria-labelledby="safety-policy-heading" aria-busy={stored.isFetching}>
      <h2 id="safety-policy-heading">Workspace policy</h2>
      <p className="muted small">
        What the guard does at each stage of a turn in <strong>{me.workspace.name}</strong>, over the platform default.
        Each agent&apos;s own policy is laid over this one.
      </p>
      <QueryState query={stored} errorTitle="Could not load the policy" compact />
      {stored.data ? (
        // A save or a reset stores a new version: the editor starts again from it.
        <PolicyForm
          key={stored.data.updated_at ?? "default"}
          workspaceId={workspaceId}
          stored={stored.data}
          canEdit={isWorkspaceAdmin(me)}
        />
      ) : null}
    </section>
  );
}

interface PolicyFormProps {
  workspaceId: string;
  stored: WorkspaceSafetyPolicy;
  canEdit: boolean;
}

function PolicyForm({ workspaceId, stored, canEdit }: PolicyFormProps) {
  const [draft, setDraft] = useState<SafetyPolicy>(stored.policy);
  const invalidates = [queryKeys.safety.policy(workspaceId)];
  const save = useMutation({ mutationFn: () => api.safety.setPolicy(workspaceId, draft), meta: { invalidates } });
  const reset = useMutation({ mutationFn: () => api.safety.resetPolicy(workspaceId), meta: { invalidates } });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.reset();
    save.mutate();
  };
  const busy = save.isPending || reset.isPending;

  return (
    <form className="form" onSubmit={submit} aria-label="Workspace safety policy">
      {!canEdit ? (
        <p className="notice" data-testid="policy-read-only">
          Only the workspace&apos;s admins can change the safety policy.
        </p>
      ) : null}
      <PolicyEditor
        name="Workspace"
        policy={draft}
        onChange={canEdit ? setDraft : undefined}
        inherited={null}
        inheritFrom="platform default"
      />
      {canEdit ? (
        <SubmitRow label="Save policy" busyLabel="Saving…" mutation={save} disabled={busy}>
          <ConfirmButton
            label="Reset to platform default"
            question="Drop this workspace's overrides?"
            confirmLabel="Reset"
            disabled={busy || Object.keys(stored.policy).length === 0}
            onConfirm={() => {
              save.reset();
              reset.mutate();
            }}
          />
        </SubmitRow>
      ) : null}
      <FormError error={reset.error} />
      <h3>Effective policy</h3>
      <p className="muted small">
        {stored.updated_at ? (
          <>
            Overrides last changed <Time iso={stored.updated_at} />.
          </>
        ) : (
          "The platform default: this workspace has no overrides."
        )}
      </p>
      <EffectivePolicyTable effective={stored.effective} />
    </form>
  );
}
