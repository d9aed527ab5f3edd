// /api/workspaces: the caller's workspaces and their members. Under /api/workspaces/:id the
// path names the workspace, so the caller's role there decides what is allowed. People join by
// invitation (./invitations.ts).
import type { CreateWorkspaceRequest, Member, MemberPage, Workspace, WorkspacePage, WorkspaceRole } from "../api-types";
import { type PageParams, segment, withQuery } from "./query";
import type { CallOptions, Transport } from "./transport";

export type { CreateWorkspaceRequest, Member, MemberPage, Workspace, WorkspacePage, WorkspaceRole } from "../api-types";

export class WorkspacesApi {
  constructor(private readonly http: Transport) {}

  list(params: PageParams = {}, opts?: CallOptions): Promise<WorkspacePage> {
    return this.http.json<WorkspacePage>("GET", withQuery("/api/workspaces", { ...params }), undefined, opts);
  }

  /** A new workspace; the caller becomes its admin. */
  create(body: CreateWorkspaceRequest, opts?: CallOptions): Promise<Workspace> {
    return this.http.json<Workspace>("POST", "/api/workspaces", body, opts);
  }

  members(workspaceId: string, params: PageParams = {}, opts?: CallOptions): Promise<MemberPage> {
    return this.http.json<MemberPage>(
      "GET",
      withQuery(`/api/workspaces/${segment(workspaceId)}/members`, { ...params }),
      undefined,
      opts,
    );
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
    return this.http.empty(
      "DELETE",
      `/api/workspaces/${segment(workspaceId)}/members/${segment(userId)}`,
      undefined,
      opts,
    );
  }
}
