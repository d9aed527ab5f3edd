// Request and response shapes for /api/auth/* (types shared with the dashboard and CLI).

import type * as api from "@hive/shared/api-types/auth";
import { z } from "@hono/zod-openapi";
import { displayName } from "../core/names";
import { idParams } from "../core/openapi";
import { SCOPES } from "../core/principal";
import type { Expect, Same } from "../core/same-type";
import { Email, NewPassword, User } from "../users/schemas";
import { Workspace, WorkspaceRole } from "../workspaces/schemas";

/** Sign-in never enforces today's password rules: an older, shorter password must still work. */
const Password = z.string().min(1).max(1024).openapi({ example: "correct horse battery staple" });
const WorkspaceId = z.string().min(1).max(64).openapi({ example: "ws_3kT9aZ" });

export const LoginRequest = z.object({ email: Email, password: Password }).openapi("LoginRequest");
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SignupRequest = z
  .object({ email: Email, password: NewPassword, name: displayName(100).optional() })
  .openapi("SignupRequest");
export type SignupRequest = z.infer<typeof SignupRequest>;

export const Membership = z
  .object({ workspace_id: z.string(), name: z.string(), slug: z.string(), personal: z.boolean(), role: WorkspaceRole })
  .openapi("Membership");
export type Membership = z.infer<typeof Membership>;

export const MeResponse = z
  .object({
    user: User,
    workspace: Workspace,
    role: z.enum(["admin", "user", "read_only", "service"]),
    via: z.enum(["session", "jwt", "api_key"]),
    /** The API key's effective scopes; empty for people. */
    scopes: z.array(z.enum(SCOPES)),
    memberships: z.array(Membership),
  })
  .openapi("Me");
export type MeResponse = z.infer<typeof MeResponse>;

export const LoginResponse = z.object({ user: User, workspace_id: z.string() }).openapi("LoginResponse");
export type LoginResponse = z.infer<typeof LoginResponse>;

export const TokenRequest = z
  .object({ email: Email, password: Password, workspace_id: WorkspaceId.optional() })
  .openapi("TokenRequest");
export type TokenRequest = z.infer<typeof TokenRequest>;

export const RefreshRequest = z.object({ refresh_token: z.string().min(1).max(256) }).openapi("RefreshRequest");
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int(),
    refresh_token: z.string(),
    refresh_expires_in: z.number().int(),
    workspace_id: z.string(),
  })
  .openapi("TokenResponse");
export type TokenResponse = z.infer<typeof TokenResponse>;

export const PasswordChangeRequest = z
  .object({ current_password: Password, new_password: NewPassword })
  .openapi("PasswordChangeRequest");
export type PasswordChangeRequest = z.infer<typeof PasswordChangeRequest>;

export const SwitchWorkspaceRequest = z.object({ workspace_id: WorkspaceId }).openapi("SwitchWorkspaceRequest");
export type SwitchWorkspaceRequest = z.infer<typeof SwitchWorkspaceRequest>;

export const Session = z
  .object({
    id: z.string(),
    current: z.boolean(),
    workspace_id: z.string().nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    created_at: z.string(),
    expires_at: z.string(),
  })
  .openapi("Session");
export type Session = z.infer<typeof Session>;

export const SessionList = z.object({ data: z.array(Session) }).openapi("SessionList");
export type SessionList = z.infer<typeof SessionList>;

export const SessionParams = idParams("ses_3kT9aZ");

export const OkResponse = z.object({ ok: z.literal(true) }).openapi("Ok");
export type OkResponse = z.infer<typeof OkResponse>;

// The types clients import from shared/api-types are exactly what these schemas accept and return.
type _Checks = [
  Expect<Same<LoginRequest, api.LoginRequest>>,
  Expect<Same<SignupRequest, api.SignupRequest>>,
  Expect<Same<Membership, api.Membership>>,
  Expect<Same<MeResponse, api.MeResponse>>,
  Expect<Same<LoginResponse, api.LoginResponse>>,
  Expect<Same<TokenRequest, api.TokenRequest>>,
  Expect<Same<RefreshRequest, api.RefreshRequest>>,
  Expect<Same<TokenResponse, api.TokenResponse>>,
  Expect<Same<PasswordChangeRequest, api.PasswordChangeRequest>>,
  Expect<Same<SwitchWorkspaceRequest, api.SwitchWorkspaceRequest>>,
  Expect<Same<Session, api.Session>>,
  Expect<Same<SessionList, api.SessionList>>,
  Expect<Same<OkResponse, api.OkResponse>>,
];
