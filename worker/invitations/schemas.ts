// Request and response shapes for workspace invitations (types shared with web and CLI). The
// workspace's admins see an Invitation; the invitee sees a MyInvitation, which names the
// workspace and who invited them. Neither says whether the email has an account.

import type * as api from "@hive/shared/api-types/invitations";
import { INVITATION_STATUSES } from "@hive/shared/api-types/invitations";
import { z } from "@hono/zod-openapi";
import { idParams, inQuery, PageQuery, pathId } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";
import { Email } from "../users/schemas";
import { WorkspaceParams, WorkspaceRole } from "../workspaces/schemas";

export const InvitationStatus = z.enum(INVITATION_STATUSES).openapi({ example: "pending" });
export type InvitationStatus = z.infer<typeof InvitationStatus>;

export const Invitation = z
  .object({
    id: z.string(),
    workspace_id: z.string(),
    email: z.string(),
    role: WorkspaceRole,
    status: InvitationStatus,
    /** The admin who sent it. */
    invited_by: z.string(),
    expires_at: z.string(),
    /** When it was accepted, declined or revoked. */
    responded_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Invitation");
export type Invitation = z.infer<typeof Invitation>;

export const MyInvitation = z
  .object({
    id: z.string(),
    workspace: z.object({ id: z.string(), name: z.string() }),
    role: WorkspaceRole,
    status: InvitationStatus,
    invited_by: z.object({ name: z.string(), email: z.string() }),
    expires_at: z.string(),
    created_at: z.string(),
  })
  .openapi("MyInvitation");
export type MyInvitation = z.infer<typeof MyInvitation>;

export const CreateInvitationRequest = z
  .object({ email: Email, role: WorkspaceRole.default("user") })
  .openapi("CreateInvitationRequest");
export type CreateInvitationRequest = z.input<typeof CreateInvitationRequest>;

export const WorkspaceInvitationParams = WorkspaceParams.extend({
  invitationId: pathId("invitationId", "inv_3kT9aZ"),
});
export const InvitationParams = idParams("inv_3kT9aZ");

export const InvitationListQuery = PageQuery.extend({
  status: InvitationStatus.optional().openapi(inQuery("status", "only invitations in this state")),
});

// The types clients import from shared/api-types are exactly what these schemas accept and return.
type _Checks = [
  Expect<Same<Invitation, api.Invitation>>,
  Expect<Same<MyInvitation, api.MyInvitation>>,
  Expect<Same<CreateInvitationRequest, api.CreateInvitationRequest>>,
];
