// Where each effective configuration value came from, for GET /api/admin/config.
// Wrangler hands the Worker one merged `env`; comparing it with the layers declared in
// wrangler.toml (generated at build time) tells which layer won.
import { type Config, type ConfigKey, ConfigSchema, SECRET_KEYS } from "./config";
import { CONFIG_LAYERS } from "./config-layers.generated";

export type ConfigSource = "secret_or_env_var" | "env_vars" | "vars" | "default";

export interface ConfigEntry {
  key: ConfigKey;
  value: unknown;
  source: ConfigSource;
  /** e.g. "[env.production.vars]" */
  origin: string;
  secret: boolean;
}

export function describeConfig(env: Record<string, unknown>, config: Config): ConfigEntry[] {
  const name = String(env.ENVIRONMENT ?? "");
  const envLayer = CONFIG_LAYERS.envs[name];
  return (Object.keys(ConfigSchema.shape) as ConfigKey[]).map((key) => {
    const raw = env[key];
    const secret = SECRET_KEYS.has(key);
    const value = secret ? (config[key] === undefined ? null : "[redacted]") : (config[key] ?? null);
    if (raw === undefined || raw === "")
      return { key, value, source: "default", origin: "defaults in worker/core/config.ts", secret };
    if (envLayer && envLayer[key] === raw)
      return { key, value, source: "env_vars", origin: `[env.${name}.vars]`, secret };
    if (!envLayer && CONFIG_LAYERS.vars[key] === raw) return { key, value, source: "vars", origin: "[vars]", secret };
    return {
      key,
      value,
      source: "secret_or_env_var",
      origin: "secret / environment variable (.dev.vars locally)",
      secret,
    };
  });
}
