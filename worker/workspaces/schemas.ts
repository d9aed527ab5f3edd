// Request and response shapes for workspaces and their members (types shared with web and CLI).

import type * as api from "@hive/shared/api-types/workspaces";
import { z } from "@hono/zod-openapi";
import { displayName } from "../core/names";
import { idParams, inQuery, pathId } from "../core/openapi";
import { WORKSPACE_ROLES } from "../core/principal";
import type { Expect, Same } from "../core/same-type";

export const WorkspaceRole = z.enum(WORKSPACE_ROLES).openapi({ example: "user" });

export const Workspace = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    personal: z.boolean(),
    owner_id: z.string(),
    /** The caller's role here; null in the platform-admin listing. */
    role: WorkspaceRole.nullable(),
    created_at: z.string(),
  })
  .openapi("Workspace");
export type Workspace = z.infer<typeof Workspace>;

export const Member = z
  .object({
    user_id: z.string(),
    email: z.string(),
    name: z.string(),
    kind: z.enum(["human", "service"]),
    role: WorkspaceRole,
    created_at: z.string(),
  })
  .openapi("Member");
export type Member = z.infer<typeof Member>;

const WorkspaceName = displayName(100);

export const CreateWorkspaceRequest = z.object({ name: WorkspaceName }).openapi("CreateWorkspaceRequest");
export type CreateWorkspaceRequest = z.infer<typeof CreateWorkspaceRequest>;
export const UpdateWorkspaceRequest = z.object({ name: WorkspaceName }).openapi("UpdateWorkspaceRequest");
export type UpdateWorkspaceRequest = z.infer<typeof UpdateWorkspaceRequest>;

export const UpdateMemberRequest = z.object({ role: WorkspaceRole }).openapi("UpdateMemberRequest");
export type UpdateMemberRequest = z.infer<typeof UpdateMemberRequest>;

export const WorkspaceParams = idParams("ws_3kT9aZ");
export const MemberParams = WorkspaceParams.extend({ userId: pathId("userId", "usr_3kT9aZ") });

export const AdminWorkspaceQuery = z.object({
  q: z.string().trim().max(100).optional().openapi(inQuery("q", "name contains")),
});

// The types clients import from shared/api-types are exactly what these schemas accept and return.
type _Checks = [
  Expect<Same<Workspace, api.Workspace>>,
  Expect<Same<Member, api.Member>>,
  Expect<Same<CreateWorkspaceRequest, api.CreateWorkspaceRequest>>,
  Expect<Same<UpdateWorkspaceRequest, api.UpdateWorkspaceRequest>>,
  Expect<Same<UpdateMemberRequest, api.UpdateMemberRequest>>,
];
