import type { Router } from "../core/openapi";
import { registerSafetyPolicy } from "./policy-routes";
import { registerSafety } from "./routes";

export function registerSafetyRoutes(app: Router) {
  registerSafety(app);
  registerSafetyPolicy(app);
}
