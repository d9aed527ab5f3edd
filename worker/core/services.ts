// Services built once per request by one middleware and read from `c.var.services`.
// Implementations are chosen by what is bound (see providers/).
import type { Config } from "./config";
import { createDb, type Database } from "./db";

export interface Services {
  db: Database;
}

export function createServices(env: Env, _config: Config): Services {
  return { db: createDb(env.DB) };
}
