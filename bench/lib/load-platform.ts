// The platform settings of a load run: throttling off (every request should reach the code behind
// it) and quiet logs, with a known bootstrap admin. Shared by bench/load.ts and the CI-sized run.
import type { Admin } from "./platform-api";

export const loadAdmin: Admin = { email: "load-admin@liquid-hive.local", password: "load-admin-password-123" };

export const LOAD_PLATFORM_VARS: Record<string, string> = {
  ADMIN_EMAIL: loadAdmin.email,
  ADMIN_PASSWORD: loadAdmin.password,
  RATE_LIMITS: "auth=1000000000/60,read=1000000000/60,write=1000000000/60,chat=1000000000/60,chat_tokens=1000000000/60",
  LOG_LEVEL: "error",
};
