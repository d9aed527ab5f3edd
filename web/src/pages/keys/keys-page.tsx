// /keys: API keys in the current workspace. People see and revoke their own keys; workspace
// admins see and revoke everyone's. A new key's secret is shown once, right after creation.
// "Show revoked keys" and the page are in the address.

import type { ApiKey, CreatedApiKey } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { updateSearch, useSearchParams } from "../../router/search-params";
import { useCursorPager } from "../../ui/cursor-pager";
import { ACTIONS } from "../../ui/data-table";
import { PagedTable } from "../../ui/list-paged";
import { ListPanel } from "../../ui/list-panel";
import { QueryState } from "../../ui/query-state";
import { isWorkspaceAdmin } from "../auth/access";
import { useMe } from "../auth/session";
import { CreateKeyForm } from "./create-key-form";
import { KeyRow } from "./key-row";
import { NewKeyPanel } from "./new-key-panel";

const PAGE_SIZE = 50;

export function KeysPage() {
  const me = useMe();
  const pager = useCursorPager();
  const includeRevoked = useSearchParams().get("revoked") === "1";
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const params = { limit: PAGE_SIZE, cursor: pager.cursor, includeRevoked };
  const keys = useQuery(queries.keys(params));
  const ownerNote = (key: ApiKey) =>
    key.service_account ? "service account" : key.user_id !== me.user.id ? "another member's key" : null;

  return (
    <Page
      title="API keys"
      lead={
        <>
          Keys for scripts and integrations in <strong>{me.workspace.name}</strong>. A key acts with your role here,
          limited to its scopes.
          {isWorkspaceAdmin(me) ? " As an admin you also see, and can revoke, every other key in the workspace." : null}
        </>
      }
    >
      {created ? (
        <NewKeyPanel created={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateKeyForm onCreated={setCreated} />
      )}
      <QueryState query={keys} errorTitle="Could not load the keys" />
      <ListPanel
        id="keys-heading"
        title="Keys"
        busy={keys.isFetching}
        headClass="panel-head"
        tools={
          <label className="check">
            <input
              type="checkbox"
              checked={includeRevoked}
              onChange={(e) => updateSearch({ revoked: e.target.checked ? "1" : null, [pager.param]: null })}
            />
            Show revoked keys
          </label>
        }
      >
        <PagedTable
          page={keys.data}
          pager={pager}
          label="Keys"
          noMatch={<p className="muted">No keys yet.</p>}
          columns={["Name", "Prefix", "Scopes", "Created", "Last used", "Expires", "Status", ACTIONS]}
          row={(k) => <KeyRow key={k.id} apiKey={k} ownerNote={ownerNote(k)} />}
        />
      </ListPanel>
    </Page>
  );
}
