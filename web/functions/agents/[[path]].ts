// /agents/<class>/<name>: the agents SDK (WebSocket) route. "/agents" alone is the dashboard's
// Agents page, so it falls through to the static SPA.
import { forwardToApi, type PagesEnv } from "../_shared/forward";

export const onRequest: PagesFunction<PagesEnv> = (context) => {
  const path = context.params.path;
  const hasSubpath = Array.isArray(path) ? path.length > 0 : Boolean(path);
  return hasSubpath ? forwardToApi(context) : context.next();
};
