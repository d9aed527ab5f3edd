// The evaluation datasets' routes, registered by app.ts in one line.
import type { Router } from "../core/openapi";
import { registerCaseFileRoutes } from "./cases-file-routes";
import { registerCaseRoutes } from "./cases-routes";
import { registerDatasetRoutes } from "./datasets-routes";

export function registerEvalDatasets(app: Router) {
  registerDatasetRoutes(app);
  registerCaseRoutes(app);
  registerCaseFileRoutes(app);
}
