// Invitations: a workspace's admins invite an email (/api/workspaces/:id/invitations); the
// person signed in with that email sees it (/api/invitations) and accepts or declines it.
// Nobody joins a workspace any other way.
import type {
  CreateInvitationRequest,
  Invitation,
  InvitationPage,
  InvitationStatus,
  MyInvitation,
  MyInvitationPage,
} from "../api-types";
import { ApiCalls } from "./calls";
import { type PageParams, segment } from "./query";
import type { CallOptions } from "./transport";

export interface InvitationListParams extends PageParams {
  status?: InvitationStatus;
}

export class InvitationsApi extends ApiCalls {
  /** Workspace admins: the answer is the same whether or not the email has an account. */
  invite(workspaceId: string, body: CreateInvitationRequest, opts?: CallOptions): Promise<Invitation> {
    return this.http.json<Invitation>("POST", `/api/workspaces/${segment(workspaceId)}/invitations`, body, opts);
  }

  list(workspaceId: string, params: InvitationListParams = {}, opts?: CallOptions): Promise<InvitationPage> {
    return this.read<InvitationPage>(`/api/workspaces/${segment(workspaceId)}/invitations`, { ...params }, opts);
  }

  revoke(workspaceId: string, invitationId: string, opts?: CallOptions): Promise<void> {
    return this.remove(`/api/workspaces/${segment(workspaceId)}/invitations/${segment(invitationId)}`, opts);
  }

  /** The signed-in person's pending invitations. */
  mine(params: PageParams = {}, opts?: CallOptions): Promise<MyInvitationPage> {
    return this.read<MyInvitationPage>("/api/invitations", { ...params }, opts);
  }

  accept(invitationId: string, opts?: CallOptions): Promise<MyInvitation> {
    return this.http.json<MyInvitation>("POST", `/api/invitations/${segment(invitationId)}/accept`, undefined, opts);
  }

  decline(invitationId: string, opts?: CallOptions): Promise<MyInvitation> {
    return this.http.json<MyInvitation>("POST", `/api/invitations/${segment(invitationId)}/decline`, undefined, opts);
  }
}
