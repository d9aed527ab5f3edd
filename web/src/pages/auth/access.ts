// Who may open a dashboard page. It mirrors the API's permission table
// (worker/core/permissions.ts) only to hide what would answer 403; the API still decides.
import type { MeResponse } from "@hive/shared/api-client";

export type PageAccess =
  /** Anyone, signed in or not (Status). */
  | "public"
  /** Any signed-in member of the current workspace. */
  | "member"
  /** Workspace admins and read-only reviewers: the audit log. */
  | "auditor"
  /** Platform administrators: users and feature flags. */
  | "platform_admin";

export const isPlatformAdmin = (me: MeResponse) => me.user.platform_role === "platform_admin";
export const isWorkspaceAdmin = (me: MeResponse) => me.role === "admin";

export function mayOpen(access: PageAccess, me: MeResponse | null): boolean {
  if (access === "public") return true;
  if (!me) return false;
  switch (access) {
    case "member":
      return true;
    case "auditor":
      return me.role === "admin" || me.role === "read_only";
    case "platform_admin":
      return isPlatformAdmin(me);
  }
}

/** What a page needs, in words, for the page shown instead of it. */
export const ACCESS_NEEDED: Record<PageAccess, string> = {
  public: "nothing",
  member: "a signed-in account",
  auditor: "the admin or read-only role in this workspace",
  platform_admin: "a platform administrator account",
};
