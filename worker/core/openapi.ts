// Schema-first routing: every feature router is an OpenAPIHono whose validation failures
// render the error envelope (400 VALIDATION_ERROR with field details).
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { HonoEnv } from "./env";
import { envelope, zodDetails } from "./errors";

export function createRouter() {
  return new OpenAPIHono<HonoEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return envelope(c, "VALIDATION_ERROR", "Request validation failed", zodDetails(result.error, result.target));
      }
    },
  });
}

export type Router = ReturnType<typeof createRouter>;

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "VALIDATION_ERROR" }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
      timestamp: z.string().openapi({ example: "2026-01-01T12:00:00Z" }),
      request_id: z.string().openapi({ example: "req_3kT9aZ" }),
    }),
  })
  .openapi("Error");

const errorResponse = (description: string) => ({
  content: { "application/json": { schema: ErrorSchema } },
  description,
});

/** The error responses every authenticated route can give, for the OpenAPI document. */
export const commonErrors = {
  400: errorResponse("Malformed request or validation error"),
  401: errorResponse("Authentication required"),
  403: errorResponse("Not permitted"),
  404: errorResponse("Not found"),
  429: errorResponse("Rate limited"),
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T, description = "") => ({
  content: { "application/json": { schema } },
  required: true,
  description,
});

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

/** OpenAPI metadata of a query parameter: `.openapi(inQuery("status", "only runs in this state"))`. */
export const inQuery = (name: string, description?: string) => ({
  param: { name, in: "query" as const },
  ...(description ? { description } : {}),
});

/** A `?name=true|false` switch, off unless given. */
export const switchQuery = (name: string, description?: string) =>
  z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .openapi(inQuery(name, description));

/** An id in the path; `example` shows its prefix (`ws_3kT9aZ`). */
export const pathId = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: "path" }, example });

/** The path parameters of one resource addressed by `{id}`. */
export const idParams = (example: string) => z.object({ id: pathId("id", example) });

/** Cursor pagination shared by every list route: `?limit=&cursor=`. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi(inQuery("limit")),
  cursor: z.string().max(200).optional().openapi(inQuery("cursor")),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable() });

/** Routes that need a signed-in caller: bearer (JWT or API key) or the dashboard cookie. */
export const SIGNED_IN_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
