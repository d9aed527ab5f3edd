// The one typed Hono environment shared by every route and middleware.
import type { Config } from "./config";
import type { Principal } from "./principal";
import type { Services } from "./services";

export type Bindings = Env;

export interface Variables {
  requestId: string;
  config: Config;
  principal: Principal;
  services: Services;
}

export interface HonoEnv {
  Bindings: Bindings;
  Variables: Variables;
}
