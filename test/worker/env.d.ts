declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    ADMIN_EMAIL?: string;
    ADMIN_PASSWORD?: string;
    PASSWORD_PEPPER?: string;
    JWT_KEYS?: string;
  }
}
