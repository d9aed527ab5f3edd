// Pages Functions forward the API paths to the API Worker through the `API` service binding,
// so the dashboard and the API share one origin in production (session cookie, no CORS) just
// as they do under `wrangler dev`. The request goes through untouched: method, headers, body,
// WebSocket upgrades and the original URL, which the Worker uses for PUBLIC_ORIGIN checks.
import type { ErrorEnvelope } from "@hive/shared/api-types/errors";

export interface PagesEnv {
  API?: Fetcher;
}

function unavailable(message: string): Response {
  const body: ErrorEnvelope = {
    error: {
      code: "UNAVAILABLE",
      message,
      details: {},
      timestamp: new Date().toISOString(),
      request_id: `req_${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`,
    },
  };
  return Response.json(body, { status: 503 });
}

export const forwardToApi: PagesFunction<PagesEnv> = async ({ request, env }) => {
  // A missing binding is a deployment mistake; say so in the API's own error shape.
  if (!env.API) return unavailable("The dashboard is not connected to the API (service binding API is missing)");
  return env.API.fetch(request);
};
