// /api/users (platform admins): accounts, people and service accounts alike.
import type { Page } from "./page";
import type { PlatformRole } from "./roles";

export type AccountKind = "human" | "service";

export interface User {
  id: string;
  email: string;
  name: string;
  kind: AccountKind;
  platform_role: PlatformRole;
  disabled: boolean;
  created_at: string;
}
export type UserPage = Page<User>;

export interface CreateUserRequest {
  email: string;
  password: string;
  name?: string;
  /** Default `member`. */
  platform_role?: PlatformRole;
}

export interface UpdateUserRequest {
  name?: string;
  platform_role?: PlatformRole;
  disabled?: boolean;
}
