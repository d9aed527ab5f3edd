// /api/users: platform administration of accounts (platform admins only).
import type { CreateUserRequest, UpdateUserRequest, User, UserPage } from "../api-types";
import { ApiCalls } from "./calls";
import { type PageParams, segment } from "./query";
import type { CallOptions } from "./transport";

export type { CreateUserRequest, PlatformRole, UpdateUserRequest, User, UserPage } from "../api-types";

export interface UserListParams extends PageParams {
  /** Email or name contains. */
  q?: string;
  kind?: User["kind"];
}

export class UsersApi extends ApiCalls {
  list(params: UserListParams = {}, opts?: CallOptions): Promise<UserPage> {
    return this.read<UserPage>("/api/users", { ...params }, opts);
  }

  create(body: CreateUserRequest, opts?: CallOptions): Promise<User> {
    return this.http.json<User>("POST", "/api/users", body, opts);
  }

  /** Rename, change platform role, disable or enable; disabling ends every credential at once. */
  update(id: string, body: UpdateUserRequest, opts?: CallOptions): Promise<User> {
    return this.http.json<User>("PATCH", `/api/users/${segment(id)}`, body, opts);
  }
}
