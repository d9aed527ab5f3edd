// /api/workspaces: the caller's workspaces and their members. Under /api/workspaces/:id the
// path names the workspace, so the caller's role there decides what is allowed. People join by
// invitation (./invitations.ts).
import type { CreateWorkspaceRequest, Member, MemberPage, Workspace, WorkspacePage, WorkspaceRole } from "../api-types";
import { ApiCalls } from "./calls";
import { type PageParams, segment } from "./query";
import type { CallOptions } from "./transport";

export type { CreateWorkspaceRequest, Member, MemberPage, Workspace, WorkspacePage, WorkspaceRole } from "../api-types";

export class WorkspacesApi extends ApiCalls {
  list(params: PageParams = {}, opts?: CallOptions): Promise<WorkspacePage> {
    return this.read<WorkspacePage>("/api/workspaces", { ...params }, opts);
  }

  /** A new workspace; the caller becomes its admin. */
  create(body: CreateWorkspaceRequest, opts?: CallOptions): Promise<Workspace> {
    return this.http.json<Workspace>("POST", "/api/workspaces", body, opts);
  }

  members(workspaceId: string, params: PageParams = {}, opts?: CallOptions): Promise<MemberPage> {
    return this.read<MemberPage>(`/api/workspaces/${segment(workspaceId)}/members`, { ...params }, opts);
  }

  changeRole(workspaceId: string, userId: string, role: WorkspaceRole, opts?: CallOptions): Promise<Member> {
    return this.http.json<Member>(
      "PATCH",
      `/api/workspaces/${segment(workspaceId)}/members/${segment(userId)}`,
      { role },
      opts,
    );
  }

  removeMember(workspaceId: string, userId: string, opts?: CallOptions): Promise<void> {
    return this.remove(`/api/workspaces/${segment(workspaceId)}/members/${segment(userId)}`, opts);
  }
}
