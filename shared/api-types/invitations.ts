// Workspace invitations. Admins see an Invitation; the invitee sees a MyInvitation, which names
// the workspace and who invited them.
import type { Page } from "./page";
import type { WorkspaceRole } from "./roles";

export const INVITATION_STATUSES = ["pending", "accepted", "declined", "revoked", "expired"] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export interface Invitation {
  id: string;
  workspace_id: string;
  email: string;
  role: WorkspaceRole;
  status: InvitationStatus;
  /** The admin who sent it. */
  invited_by: string;
  expires_at: string;
  /** When it was accepted, declined or revoked. */
  responded_at: string | null;
  created_at: string;
}
export type InvitationPage = Page<Invitation>;

export interface MyInvitation {
  id: string;
  workspace: { id: string; name: string };
  role: WorkspaceRole;
  status: InvitationStatus;
  invited_by: { name: string; email: string };
  expires_at: string;
  created_at: string;
}
export type MyInvitationPage = Page<MyInvitation>;

export interface CreateInvitationRequest {
  email: string;
  /** Default `user`. */
  role?: WorkspaceRole;
}
