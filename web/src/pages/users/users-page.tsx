// /users: every account on the platform (platform admins only; the API audits each read).
import { useState, type FormEvent } from "react";
import type { UpdateUserRequest, User } from "@hive/shared/api-client";
import { api } from "../../api";
import { Page } from "../../layout/page";
import { useCursorPager } from "../../ui/cursor-pager";
import { ErrorPanel } from "../../ui/error-panel";
import { ACTIONS, DataTable } from "../../ui/data-table";
import { Pager } from "../../ui/pager";
import { useApi } from "../../ui/use-api";
import { useMe } from "../auth/session";
import { NewUserForm } from "./new-user-form";
import { UserRow } from "./user-row";

const PAGE_SIZE = 50;

export function UsersPage() {
  const me = useMe();
  const pager = useCursorPager();
  const [draft, setDraft] = useState("");
  const [query, setQuery] = useState("");
  const users = useApi((signal) => api.users.list({ limit: PAGE_SIZE, cursor: pager.cursor, q: query }, { signal }), [pager.cursor, query]);

  const update = async (user: User, change: UpdateUserRequest) => {
    await api.users.update(user.id, change);
    users.reload();
  };
  const search = (event: FormEvent) => {
    event.preventDefault();
    pager.reset();
    setQuery(draft.trim());
  };

  return (
    <Page title="Users" lead="Every account on the platform. Disabling one ends its sessions, tokens and API keys at once.">
      <section className="panel" aria-labelledby="users-heading" aria-busy={users.loading}>
        <h2 id="users-heading" className="visually-hidden">
          Accounts
        </h2>
        <form className="toolbar" role="search" onSubmit={search}>
          <div className="field">
            <label htmlFor="users-q">Email or name contains</label>
            <input id="users-q" className="input" type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
          </div>
          <button type="submit" className="button button-secondary">
            Search
          </button>
        </form>
        {users.error ? <ErrorPanel title="Could not load users" error={users.error} onRetry={users.reload} /> : null}
        {users.data && users.data.data.length === 0 ? <p className="muted">No account matches.</p> : null}
        {users.data && users.data.data.length > 0 ? (
          <DataTable columns={["Account", "Kind", "Platform role", "Status", "Created", ACTIONS]}>
            {users.data.data.map((u) => (
              <UserRow key={u.id} user={u} isSelf={u.id === me.user.id} onUpdate={update} />
            ))}
          </DataTable>
        ) : null}
        <Pager pager={pager} nextCursor={users.data?.next_cursor} label="Users" />
      </section>
      <NewUserForm onCreated={users.reload} />
    </Page>
  );
}
