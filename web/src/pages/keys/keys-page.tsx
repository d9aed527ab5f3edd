// /keys: API keys in the current workspace. People see and revoke their own keys; workspace
// admins see and revoke everyone's. A new key's secret is shown once, right after creation.
import { useState } from "react";
import type { ApiKey, CreatedApiKey } from "@hive/shared/api-client";
import { api } from "../../api";
import { Page } from "../../layout/page";
import { useCursorPager } from "../../ui/cursor-pager";
import { ErrorPanel } from "../../ui/error-panel";
import { ACTIONS, DataTable } from "../../ui/data-table";
import { Pager } from "../../ui/pager";
import { useApi } from "../../ui/use-api";
import { isWorkspaceAdmin } from "../auth/access";
import { useMe } from "../auth/session";
import { CreateKeyForm } from "./create-key-form";
import { KeyRow } from "./key-row";
import { NewKeyPanel } from "./new-key-panel";

const PAGE_SIZE = 50;

export function KeysPage() {
  const me = useMe();
  const pager = useCursorPager();
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const keys = useApi((signal) => api.keys.list({ limit: PAGE_SIZE, cursor: pager.cursor, includeRevoked }, { signal }), [pager.cursor, includeRevoked]);

  const revoke = async (key: ApiKey) => {
    await api.keys.revoke(key.id);
    keys.reload();
  };
  const onCreated = (key: CreatedApiKey) => {
    setCreated(key);
    keys.reload();
  };
  const ownerNote = (key: ApiKey) => (key.service_account ? "service account" : key.user_id !== me.user.id ? "another member's key" : null);

  return (
    <Page
      title="API keys"
      lead={
        <>
          Keys for scripts and integrations in <strong>{me.workspace.name}</strong>. A key acts with your role here, limited to its scopes.
          {isWorkspaceAdmin(me) ? " As an admin you also see, and can revoke, every other key in the workspace." : null}
        </>
      }
    >
      {created ? <NewKeyPanel created={created} onDone={() => setCreated(null)} /> : <CreateKeyForm onCreated={onCreated} />}
      {keys.error ? <ErrorPanel title="Could not load the keys" error={keys.error} onRetry={keys.reload} /> : null}
      <section className="panel" aria-labelledby="keys-heading" aria-busy={keys.loading}>
        <div className="panel-head">
          <h2 id="keys-heading">Keys</h2>
          <label className="check">
            <input
              type="checkbox"
              checked={includeRevoked}
              onChange={(e) => {
                pager.reset();
                setIncludeRevoked(e.target.checked);
              }}
            />
            Show revoked keys
          </label>
        </div>
        {keys.data && keys.data.data.length === 0 ? <p className="muted">No keys yet.</p> : null}
        {keys.data && keys.data.data.length > 0 ? (
          <DataTable columns={["Name", "Prefix", "Scopes", "Created", "Last used", "Expires", "Status", ACTIONS]}>
            {keys.data.data.map((k) => (
              <KeyRow key={k.id} apiKey={k} ownerNote={ownerNote(k)} onRevoke={revoke} />
            ))}
          </DataTable>
        ) : null}
        <Pager pager={pager} nextCursor={keys.data?.next_cursor} label="Keys" />
      </section>
    </Page>
  );
}
