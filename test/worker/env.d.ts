// Test-only bindings, merged into the generated Env (see vitest.config.mts).
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}

// Repository files read as text by tests (Vite's `?raw`), e.g. .dev.vars.example.
declare module "*?raw" {
  const text: string;
  export default text;
}
