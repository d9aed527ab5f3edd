// The OpenAPI document (generated from the route schemas, never hand-written) and a readable
// docs page rendered from it on the server, so it works offline with no CDN scripts.
import type { Router } from "../core/openapi";
import { renderDocsPage } from "./render";

const DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Liquid Hive API",
    version: "1.0.0",
    description:
      "Agents, knowledge, swarms and safety on Cloudflare Workers. Authenticate with a session cookie (dashboard) or `Authorization: Bearer <jwt or api key>`. Errors use one envelope: `{ error: { code, message, details, timestamp, request_id } }`.",
  },
} as const;

export function registerDocs(app: Router) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "A JWT from POST /api/auth/token, or an API key (lh_...)",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "cookie", {
    type: "apiKey",
    in: "cookie",
    name: "__Host-lh_session",
  });

  app.doc31("/api/openapi.json", (c) => ({ ...DOCUMENT, servers: [{ url: c.var.config.PUBLIC_ORIGIN }] }));

  app.get("/api/docs", (c) => {
    const doc = app.getOpenAPI31Document({ ...DOCUMENT, servers: [{ url: c.var.config.PUBLIC_ORIGIN }] });
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    return c.html(renderDocsPage(doc as unknown as Record<string, unknown>));
  });
}
