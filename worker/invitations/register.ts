import type { Router } from "../core/openapi";
import { registerInvitationInbox } from "./inbox-routes";
import { registerWorkspaceInvitations } from "./workspace-routes";

export function registerInvitationRoutes(app: Router) {
  registerWorkspaceInvitations(app);
  registerInvitationInbox(app);
}
