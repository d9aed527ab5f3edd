import type { Router } from "../core/openapi";
import { registerWorkspaceAdmin } from "./admin-routes";
import { registerMembers } from "./member-routes";
import { registerWorkspaces } from "./routes";

export function registerWorkspaceRoutes(app: Router) {
  registerWorkspaces(app);
  registerMembers(app);
  registerWorkspaceAdmin(app);
}
