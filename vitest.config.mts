import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            ENVIRONMENT: "test",
            LOG_LEVEL: "warn",
            ADMIN_EMAIL: "admin@liquid-hive.test",
            ADMIN_PASSWORD: "test-admin-password-123",
            PASSWORD_PEPPER: "test-pepper-0123456789abcdef",
            JWT_KEYS: "k2026:test-jwt-secret-0123456789abcdef0123",
            // Suites share one client address; rate-limit tests set their own limits per request.
            RATE_LIMITS: "auth=100000/60,read=100000/60,write=100000/60,chat=100000/60",
            // http_get may reach these hosts in tests (the fetch itself is always stubbed).
            HTTP_TOOL_ALLOWLIST: "docs.example.com,*.api.example.org",
          },
        },
      }),
    ],
    test: {
      include: ["test/worker/**/*.test.ts"],
      setupFiles: ["./test/worker/setup/apply-migrations.ts"],
    },
  };
});
