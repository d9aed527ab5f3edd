// /flags: feature flags and the platform's kill switches (platform admins). Every change is
// audited by the API and takes effect everywhere within a few seconds.

import type { Flag } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { ACTIONS, DataTable } from "../../ui/data-table";
import { ListPanel } from "../../ui/list-panel";
import { QueryState } from "../../ui/query-state";
import { draftOf, type FlagDraft, NEW_FLAG } from "./flag-draft";
import { FlagEditor } from "./flag-editor";
import { FlagExposures } from "./flag-exposures";
import { FlagRow } from "./flag-row";
import { KillSwitches } from "./kill-switches";

type Editing = { isNew: true; draft: FlagDraft } | { isNew: false; draft: FlagDraft } | null;

export function FlagsPage() {
  const flags = useQuery(queries.flags());
  const [editing, setEditing] = useState<Editing>(null);
  const [exposures, setExposures] = useState<string | null>(null);
  const edit = (flag: Flag) => setEditing({ isNew: false, draft: draftOf(flag.key, flag.definition) });

  return (
    <Page
      title="Flags"
      lead="Feature flags, percentage rollouts, A/B variants and kill switches for the whole platform."
      actions={
        <button
          type="button"
          className="button"
          onClick={() => setEditing({ isNew: true, draft: NEW_FLAG })}
          disabled={editing?.isNew === true}
        >
          New flag
        </button>
      }
    >
      <QueryState query={flags} errorTitle="Could not load the flags" />
      {flags.data ? <KillSwitches list={flags.data} /> : null}
      {editing ? (
        <FlagEditor
          key={editing.isNew ? "new" : editing.draft.key}
          initial={editing.draft}
          isNew={editing.isNew}
          onSaved={() => setEditing(null)}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      {exposures ? <FlagExposures key={exposures} flagKey={exposures} onClose={() => setExposures(null)} /> : null}
      <ListPanel id="flags-heading" title="Flags" busy={flags.isFetching}>
        {flags.data && flags.data.data.length === 0 ? (
          <p className="muted">No flags yet. Kill switches are on until someone turns them off.</p>
        ) : null}
        {flags.data && flags.data.data.length > 0 ? (
          <DataTable columns={["Flag", "Enabled", "Rollout", "Updated", ACTIONS]}>
            {flags.data.data.map((f) => (
              <FlagRow key={f.key} flag={f} onEdit={edit} onShowExposures={setExposures} />
            ))}
          </DataTable>
        ) : null}
      </ListPanel>
    </Page>
  );
}
