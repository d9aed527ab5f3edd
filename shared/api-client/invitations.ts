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
import { type PageParams, segment, withQuery } from "./query";
import type { CallOptions, Transport } from "./transport";

export interface InvitationListParams extends PageParams {
  status?: InvitationStatus;
}

export class InvitationsApi {
  constructor(private readonly http: Transport) {}

  /** Workspace admins: the answer is the same whether or not the email has an account. */
  invite(workspaceId: string, body: CreateInvitationRequest, opts?: CallOptions): Promise<Invitation> {
    return this.http.json<Invitation>("POST", `/api/workspaces/${segment(workspaceId)}/invitations`, body, opts);
  }

  list(workspaceId: string, params: InvitationListParams = {}, opts?: CallOptions): Promise<InvitationPage> {
    return this.http.json<InvitationPage>(
      "GET",
      withQuery(`/api/workspaces/${segment(workspaceId)}/invitations`, { ...params }),
      undefined,
      opts,
    );
  }

  revoke(workspaceId: string, invitationId: string, opts?: CallOptions): Promise<void> {
    return this.http.empty(
      "DELETE",
      `/api/workspaces/${segment(workspaceId)}/invitations/${segment(invitationId)}`,
      undefined,
      opts,
    );
  }

  /** The signed-in person's pending invitations. */
  mine(params: PageParams = {}, opts?: CallOptions): Promise<MyInvitationPage> {
    return this.http.json<MyInvitationPage>("GET", withQuery("/api/invitations", { ...params }), undefined, opts);
  }

  accept(invitationId: string, opts?: CallOptions): Promise<MyInvitation> {
    return this.http.json<MyInvitation>("POST", `/api/invitations/${segment(invitationId)}/accept`, undefined, opts);
  }

  decline(invitationId: string, opts?: CallOptions): Promise<MyInvitation> {
    return this.http.json<MyInvitation>("POST", `/api/invitations/${segment(invitationId)}/decline`, undefined, opts);
  }
}
