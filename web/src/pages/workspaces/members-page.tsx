// /members: who is in the current workspace and with which role. Everyone here sees the list
// and the invitations sent to them; only the workspace's admins invite, re-role and remove (the
// API enforces the same). Nobody is added: people join by accepting an invitation.
import type { Invitation, Member, WorkspaceRole } from "@hive/shared/api-client";
import { api } from "../../api";
import { Page } from "../../layout/page";
import { useCursorPager } from "../../ui/cursor-pager";
import { ErrorPanel } from "../../ui/error-panel";
import { ACTIONS, DataTable } from "../../ui/data-table";
import { Pager } from "../../ui/pager";
import { useApi } from "../../ui/use-api";
import { isWorkspaceAdmin } from "../auth/access";
import { useMe, useSession } from "../auth/session";
import { InviteForm } from "./invite-form";
import { MemberRow } from "./member-row";
import { MyInvitations } from "./my-invitations";
import { NewWorkspaceForm } from "./new-workspace-form";
import { PendingInvitations } from "./pending-invitations";
import { roleLabel } from "./roles";

const PAGE_SIZE = 50;

export function MembersPage() {
  const me = useMe();
  const session = useSession();
  const workspaceId = me.workspace.id;
  const pager = useCursorPager();
  const members = useApi((signal) => api.workspaces.members(workspaceId, { limit: PAGE_SIZE, cursor: pager.cursor }, { signal }), [workspaceId, pager.cursor]);
  const canManage = isWorkspaceAdmin(me);
  const pending = useApi(
    (signal) => (canManage ? api.invitations.list(workspaceId, { status: "pending", limit: PAGE_SIZE }, { signal }) : Promise.resolve({ data: [], next_cursor: null })),
    [workspaceId, canManage],
  );

  const afterChange = async (member: Member) => {
    members.reload();
    // A change to the caller's own membership changes what the whole dashboard may show.
    if (member.user_id === me.user.id) await session.reload();
  };
  const changeRole = async (member: Member, role: WorkspaceRole) => {
    await api.workspaces.changeRole(workspaceId, member.user_id, role);
    await afterChange(member);
  };
  const remove = async (member: Member) => {
    await api.workspaces.removeMember(workspaceId, member.user_id);
    await afterChange(member);
  };
  const invite = async (email: string, role: WorkspaceRole) => {
    await api.invitations.invite(workspaceId, { email, role });
    pending.reload();
  };
  const revoke = async (invitation: Invitation) => {
    await api.invitations.revoke(workspaceId, invitation.id);
    pending.reload();
  };

  return (
    <Page
      title="Members"
      lead={
        <>
          People in <strong>{me.workspace.name}</strong> and their roles. You are {roleLabel(me.role === "service" ? "read_only" : me.role).toLowerCase()} here.
        </>
      }
    >
      <MyInvitations />
      {!canManage ? <p className="notice">Only the workspace&apos;s admins can invite members or change roles.</p> : null}
      {members.error ? <ErrorPanel title="Could not load the members" error={members.error} onRetry={members.reload} /> : null}
      <section className="panel" aria-labelledby="members-heading" aria-busy={members.loading}>
        <h2 id="members-heading">{me.workspace.personal ? "Personal workspace" : "Members"}</h2>
        {members.data ? (
          <DataTable columns={["Member", "Role", "Added", ACTIONS]}>
            {members.data.data.map((m) => (
              <MemberRow key={m.user_id} member={m} isSelf={m.user_id === me.user.id} canManage={canManage} onChangeRole={changeRole} onRemove={remove} />
            ))}
          </DataTable>
        ) : null}
        <Pager pager={pager} nextCursor={members.data?.next_cursor} label="Members" />
      </section>
      {canManage ? <InviteForm onInvite={invite} /> : null}
      {canManage ? <PendingInvitations pending={pending} onRevoke={revoke} /> : null}
      <NewWorkspaceForm />
    </Page>
  );
}
