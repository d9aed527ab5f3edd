// /members: who is in the current workspace and with which role. Everyone here sees the list
// and the invitations sent to them; only the workspace's admins invite, re-role and remove (the
// API enforces the same). Nobody is added: people join by accepting an invitation.
import { useQuery } from "@tanstack/react-query";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { useCursorPager } from "../../ui/cursor-pager";
import { ACTIONS, DataTable } from "../../ui/data-table";
import { ListPanel } from "../../ui/list-panel";
import { Pager } from "../../ui/pager";
import { QueryState } from "../../ui/query-state";
import { isWorkspaceAdmin } from "../auth/access";
import { useMe } from "../auth/session";
import { InviteForm } from "./invite-form";
import { MemberRow } from "./member-row";
import { MyInvitations } from "./my-invitations";
import { NewWorkspaceForm } from "./new-workspace-form";
import { PendingInvitations } from "./pending-invitations";
import { roleLabel } from "./roles";

const PAGE_SIZE = 50;

export function MembersPage() {
  const me = useMe();
  const workspaceId = me.workspace.id;
  const pager = useCursorPager();
  const params = { limit: PAGE_SIZE, cursor: pager.cursor };
  const members = useQuery(queries.members(workspaceId, params));
  const canManage = isWorkspaceAdmin(me);

  return (
    <Page
      title="Members"
      lead={
        <>
          People in <strong>{me.workspace.name}</strong> and their roles. You are{" "}
          {roleLabel(me.role === "service" ? "read_only" : me.role).toLowerCase()} here.
        </>
      }
    >
      <MyInvitations />
      {!canManage ? (
        <p className="notice">Only the workspace&apos;s admins can invite members or change roles.</p>
      ) : null}
      <QueryState query={members} errorTitle="Could not load the members" />
      <ListPanel
        id="members-heading"
        title={me.workspace.personal ? "Personal workspace" : "Members"}
        busy={members.isFetching}
      >
        {members.data ? (
          <DataTable columns={["Member", "Role", "Added", ACTIONS]}>
            {members.data.data.map((m) => (
              <MemberRow
                key={m.user_id}
                workspaceId={workspaceId}
                member={m}
                isSelf={m.user_id === me.user.id}
                canManage={canManage}
              />
            ))}
          </DataTable>
        ) : null}
        <Pager pager={pager} nextCursor={members.data?.next_cursor} label="Members" />
      </ListPanel>
      {canManage ? <InviteForm workspaceId={workspaceId} /> : null}
      {canManage ? <PendingInvitations workspaceId={workspaceId} /> : null}
      <NewWorkspaceForm />
    </Page>
  );
}
