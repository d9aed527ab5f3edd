import type { WorkspaceRole } from "@hive/shared/api-client";

export const WORKSPACE_ROLES: readonly { role: WorkspaceRole; label: string; meaning: string }[] = [
  { role: "admin", label: "Admin", meaning: "everything in the workspace, members and keys included" },
  { role: "user", label: "User", meaning: "own and shared agents, knowledge and chats" },
  { role: "read_only", label: "Read-only", meaning: "sees everything, changes nothing; reads the audit log" },
];

export const roleLabel = (role: WorkspaceRole) => WORKSPACE_ROLES.find((r) => r.role === role)?.label ?? role;
