// Resolves the caller's Principal from the request's credentials.
import type { MiddlewareHandler } from "hono";
import type { HonoEnv } from "../core/env";
import { ANONYMOUS } from "../core/principal";

export const authenticate: MiddlewareHandler<HonoEnv> = async (c, next) => {
  c.set("principal", ANONYMOUS);
  await next();
};
