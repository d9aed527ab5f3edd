// /api/auth/*: sign-in for people (cookie), tokens for API clients, and the caller's account.
import type { Router } from "../core/openapi";
import { registerAccountRoutes } from "./account-routes";
import { registerLoginRoutes } from "./login-routes";
import { registerTokenRoutes } from "./token-routes";

export function registerAuth(app: Router) {
  registerLoginRoutes(app);
  registerTokenRoutes(app);
  registerAccountRoutes(app);
}
