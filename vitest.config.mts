import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { experimental_readRawConfig } from "wrangler";

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Tests must not see a developer's `.dev.vars` (or `.env`): wrangler loads them from the folder of
 * the config it is given, so the pool gets a copy of wrangler.toml in a folder of its own, with its
 * paths made absolute. Every value a test relies on is set below, nothing else leaks in.
 */
function hermeticWranglerConfig(): string {
  const { rawConfig } = experimental_readRawConfig({ config: join(root, "wrangler.toml") });
  const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(root, p));
  const config = {
    ...rawConfig,
    main: abs(rawConfig.main),
    assets: rawConfig.assets && { ...rawConfig.assets, directory: abs(rawConfig.assets.directory) },
    d1_databases: rawConfig.d1_databases?.map((db: { migrations_dir?: string }) => ({
      ...db,
      migrations_dir: abs(db.migrations_dir),
    })),
  };
  const dir = join(root, ".tmp", "vitest-wrangler");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "wrangler.json");
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: hermeticWranglerConfig() },
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
            // Tests that wait for a request's waitUntil work would wait out the trace batching window.
            TRACE_BATCH_MS: "10",
          },
        },
      }),
    ],
    // The tsconfig `paths` alias; Vite does not read tsconfig paths itself.
    resolve: { alias: { "@hive/shared": join(root, "shared") } },
    test: {
      include: ["test/worker/**/*.test.ts"],
      setupFiles: ["./test/worker/setup/apply-migrations.ts"],
    },
  };
});
