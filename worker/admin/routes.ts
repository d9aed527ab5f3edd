// Platform administration views that are not about users or workspaces.
import { createRoute, z } from "@hono/zod-openapi";
import { describeConfig } from "../core/config-sources";
import { commonErrors, jsonResponse, type Router, SIGNED_IN_SECURITY } from "../core/openapi";

export const ConfigView = z
  .object({
    environment: z.string(),
    entries: z.array(
      z.object({
        key: z.string(),
        value: z.unknown(),
        source: z.enum(["secret_or_env_var", "env_vars", "vars", "default"]),
        origin: z.string(),
        secret: z.boolean(),
      }),
    ),
  })
  .openapi("ConfigView");
export type ConfigView = z.infer<typeof ConfigView>;

export function registerAdmin(app: Router) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/admin/config",
      tags: ["admin"],
      summary: "The effective configuration and where each value came from (secrets redacted)",
      security: SIGNED_IN_SECURITY,
      responses: { 200: jsonResponse(ConfigView, "Effective configuration"), ...commonErrors },
    }),
    (c) =>
      c.json(
        {
          environment: c.var.config.ENVIRONMENT,
          entries: describeConfig(c.env as unknown as Record<string, unknown>, c.var.config),
        },
        200,
      ),
  );
}
