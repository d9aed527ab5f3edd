// /api/workspaces: workspaces (the tenant) and their members.
import type { Page } from "./page";
import type { WorkspaceRole } from "./roles";
import type { AccountKind } from "./users";

export interface Workspace {
  id: string;
  name: string;
  slug: string;
  personal: boolean;
  owner_id: string;
  /** The caller's role here; null in the platform-admin listing. */
  role: WorkspaceRole | null;
  created_at: string;
}
export type WorkspacePage = Page<Workspace>;

export interface Member {
  user_id: string;
  email: string;
  name: string;
  kind: AccountKind;
  role: WorkspaceRole;
  created_at: string;
}
export type MemberPage = Page<Member>;

export interface CreateWorkspaceRequest {
  name: string;
}
export type UpdateWorkspaceRequest = CreateWorkspaceRequest;

export interface UpdateMemberRequest {
  role: WorkspaceRole;
}
