// Platform administration views that are not about users or workspaces.
import { z } from "@hono/zod-openapi";
import { describeConfig } from "../core/config-sources";
import type { Router } from "../core/openapi";
import { jsonRoute } from "../core/route";

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
    jsonRoute({
      method: "get",
      path: "/api/admin/config",
      tags: ["admin"],
      summary: "The effective configuration and where each value came from (secrets redacted)",
      ok: [ConfigView, "Effective configuration"],
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
