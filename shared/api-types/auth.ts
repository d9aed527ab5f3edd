// /api/auth: sign-in (cookie), tokens (JWT + refresh), the caller (`me`) and sessions.
import type { PrincipalRole, Scope, WorkspaceRole } from "./roles";
import type { User } from "./users";
import type { Workspace } from "./workspaces";

export interface LoginRequest {
  email: string;
  password: string;
}

export interface SignupRequest {
  email: string;
  password: string;
  name?: string;
}

export interface LoginResponse {
  user: User;
  workspace_id: string;
}

export interface Membership {
  workspace_id: string;
  name: string;
  slug: string;
  personal: boolean;
  role: WorkspaceRole;
}

export interface MeResponse {
  user: User;
  workspace: Workspace;
  role: PrincipalRole;
  via: "session" | "jwt" | "api_key";
  /** The API key's effective scopes; empty for people. */
  scopes: Scope[];
  memberships: Membership[];
}

export interface TokenRequest {
  email: string;
  password: string;
  workspace_id?: string;
}

export interface RefreshRequest {
  refresh_token: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
  workspace_id: string;
}

export interface PasswordChangeRequest {
  current_password: string;
  new_password: string;
}

export interface SwitchWorkspaceRequest {
  workspace_id: string;
}

export interface Session {
  id: string;
  current: boolean;
  workspace_id: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  expires_at: string;
}

export interface SessionList {
  data: Session[];
}

export interface OkResponse {
  ok: true;
}
