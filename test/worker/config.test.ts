import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, redactedConfig } from "../../worker/core/config";

describe("configuration", () => {
  it("fills defaults for keys that are unset or empty", () => {
    const config = parseConfig({ LLM_BASE_URL: "" });
    expect(config.ENVIRONMENT).toBe("development");
    expect(config.MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(config.CORS_ORIGINS).toEqual(["http://localhost:8787"]);
    expect(config.LLM_BASE_URL).toBeUndefined();
  });

  it("uses the value wrangler resolved (secret > [env.X.vars] > [vars]) over the code default", () => {
    const config = parseConfig({ MAX_BODY_BYTES: "2048", CORS_ORIGINS: "https://a.example, https://b.example" });
    expect(config.MAX_BODY_BYTES).toBe(2048);
    expect(config.CORS_ORIGINS).toEqual(["https://a.example", "https://b.example"]);
  });

  it("lists every bad key at once", () => {
    try {
      parseConfig({ LOG_LEVEL: "loud", MAX_BODY_BYTES: "lots", CORS_ORIGINS: "not a url", ADMIN_EMAIL: "nope" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const keys = (err as ConfigError).problems.map((p) => p.key).sort();
      expect(keys).toEqual(["ADMIN_EMAIL", "CORS_ORIGINS", "LOG_LEVEL", "MAX_BODY_BYTES"]);
      expect((err as ConfigError).message).toContain("LOG_LEVEL");
    }
  });

  it("refuses to run staging or production without real secrets", () => {
    expect(() => parseConfig({ ENVIRONMENT: "production" })).toThrow(
      /PASSWORD_PEPPER.*JWT_KEYS|JWT_KEYS.*PASSWORD_PEPPER/,
    );
    expect(
      parseConfig({ ENVIRONMENT: "production", PASSWORD_PEPPER: "p".repeat(32), JWT_KEYS: `k1:${"s".repeat(40)}` })
        .ENVIRONMENT,
    ).toBe("production");
  });

  it("redacts secrets in the effective view", () => {
    const view = redactedConfig(
      parseConfig({ ADMIN_PASSWORD: "super-secret-password", LLM_API_KEY: "sk-123", LOG_LEVEL: "debug" }),
    );
    expect(view.ADMIN_PASSWORD).toBe("[redacted]");
    expect(view.LLM_API_KEY).toBe("[redacted]");
    expect(view.PASSWORD_PEPPER).toBeNull();
    expect(view.LOG_LEVEL).toBe("debug");
    expect(JSON.stringify(view)).not.toContain("super-secret");
  });
});
