import { describe, expect, it } from "vitest";
import { parseConfig } from "../../worker/core/config";
import { describeConfig } from "../../worker/core/config-sources";

const entry = (env: Record<string, unknown>, key: string) =>
  describeConfig(env, parseConfig(env)).find((e) => e.key === key);

describe("configuration sources", () => {
  it("names the layer each value came from", () => {
    const local = {
      ENVIRONMENT: "development",
      LOG_LEVEL: "info",
      MAX_BODY_BYTES: "4096",
      ADMIN_PASSWORD: "a-long-local-password",
    };
    expect(entry(local, "LOG_LEVEL")).toMatchObject({ source: "vars", origin: "[vars]", value: "info" });
    expect(entry(local, "MAX_BODY_BYTES")).toMatchObject({ source: "secret_or_env_var", value: 4096 });
    expect(entry(local, "SIGNUP_MODE")).toMatchObject({ source: "default", value: "admin_only" });
    expect(entry(local, "ADMIN_PASSWORD")).toMatchObject({ secret: true, value: "[redacted]" });

    const prod = {
      ENVIRONMENT: "production",
      LOG_LEVEL: "warn",
      PASSWORD_PEPPER: "p".repeat(32),
      JWT_KEYS: `k:${"s".repeat(40)}`,
    };
    expect(entry(prod, "LOG_LEVEL")).toMatchObject({ source: "env_vars", origin: "[env.production.vars]" });
    expect(entry(prod, "JWT_KEYS")).toMatchObject({ source: "secret_or_env_var", value: "[redacted]" });
    expect(JSON.stringify(describeConfig(prod, parseConfig(prod)))).not.toContain("sssss");
  });
});
