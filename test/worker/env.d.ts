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

// The Prometheus text parser (dev dependency) ships no types; the shape prom2json prints.
declare module "parse-prometheus-text-format" {
  interface Sample {
    labels?: Record<string, string>;
    value?: string;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }
  interface Family {
    name: string;
    help: string;
    type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
    metrics: Sample[];
  }
  export default function parse(text: string): Family[];
}
