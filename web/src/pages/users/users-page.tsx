// /users: every account on the platform (platform admins only; the API audits each read). The
// search and the page are in the address.
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { updateSearch, useSearchParams } from "../../router/search-params";
import { useCursorPager } from "../../ui/cursor-pager";
import { ACTIONS } from "../../ui/data-table";
import { PagedTable } from "../../ui/list-paged";
import { QueryState } from "../../ui/query-state";
import { useMe } from "../auth/session";
import { NewUserForm } from "./new-user-form";
import { UserRow } from "./user-row";

const PAGE_SIZE = 50;

export function UsersPage() {
  const me = useMe();
  const pager = useCursorPager();
  const query = useSearchParams().get("q") ?? "";
  const [draft, setDraft] = useState(query);
  // Back or forward to another search: the box shows it.
  useEffect(() => setDraft(query), [query]);
  const params = { limit: PAGE_SIZE, cursor: pager.cursor, q: query };
  const users = useQuery(queries.users(params));

  const search = (event: FormEvent) => {
    event.preventDefault();
    updateSearch({ q: draft.trim() || null, [pager.param]: null });
  };

  return (
    <Page
      title="Users"
      lead="Every account on the platform. Disabling one ends its sessions, tokens and API keys at once."
    >
      <section className="panel" aria-labelledby="users-heading" aria-busy={users.isFetching}>
        <h2 id="users-heading" className="visually-hidden">
          Accounts
        </h2>
        <search>
          <form className="toolbar" onSubmit={search}>
            <div className="field">
              <label htmlFor="users-q">Email or name contains</label>
              <input
                id="users-q"
                className="input"
                type="search"
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
              />
            </div>
            <button type="submit" className="button button-secondary">
              Search
            </button>
          </form>
        </search>
        <QueryState query={users} errorTitle="Could not load users" />
        <PagedTable
          page={users.data}
          pager={pager}
          label="Users"
          noMatch={<p className="muted">No account matches.</p>}
          columns={["Account", "Kind", "Platform role", "Status", "Created", ACTIONS]}
          row={(u) => <UserRow key={u.id} user={u} isSelf={u.id === me.user.id} />}
        />
      </section>
      <NewUserForm />
    </Page>
  );
}
