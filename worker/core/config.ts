// Configuration, read once per isolate through one zod schema.
// Precedence (highest first): secrets and environment variables (.dev.vars locally) >
// [env.X.vars] > base [vars] > the defaults below. Wrangler merges the first three into `env`;
// this module adds the defaults and validates the result, listing every bad key at once.
import { z } from "zod";
import { weakSecrets } from "./secret-policy";

const csv = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);

const origin = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.origin === s.replace(/\/$/, "");
  } catch {
    return false;
  }
}, "must be an origin like https://example.com");

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const ConfigSchema = z.object({
  ENVIRONMENT: z.enum(["development", "test", "staging", "production"]).default("development"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  PUBLIC_ORIGIN: origin.default("http://localhost:8787"),
  CORS_ORIGINS: csv.pipe(z.array(origin)).default(["http://localhost:8787"]),
  MAX_BODY_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  /** Largest document a knowledge-base upload may carry; that route's body limit is derived from it. */
  KNOWLEDGE_MAX_UPLOAD_BYTES: int(1024, 50 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Files and bytes (all files together) one batch upload may carry; its body limit is derived from the bytes. */
  KNOWLEDGE_BATCH_MAX_FILES: int(1, 1000).default(100),
  KNOWLEDGE_BATCH_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(16 * 1024 * 1024),
  /** Bounds on turning one upload into text (worker/knowledge/extract/limits.ts): a PDF with more
   * pages, any document whose text runs longer, or a PDF still being read when the time budget is
   * spent is refused with 422 and not stored. */
  KNOWLEDGE_PDF_MAX_PAGES: int(1, 100_000).default(1_000),
  KNOWLEDGE_MAX_EXTRACTED_CHARS: int(1_000, 100_000_000).default(10_000_000),
  KNOWLEDGE_EXTRACT_TIME_BUDGET_MS: int(1, 300_000).default(10_000),
  SIGNUP_MODE: z.enum(["open", "admin_only"]).default("admin_only"),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  PASSWORD_PEPPER: z.string().min(16, "must be at least 16 characters").optional(),
  /** Key ring for JWTs: `kid1:secret1,kid2:secret2`; the first is used to sign. */
  JWT_KEYS: z.string().optional(),
  JWT_ISSUER: z.string().default("liquid-hive"),
  JWT_AUDIENCE: z.string().default("liquid-hive-api"),
  LLM_BASE_URL: z.url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().default("llama3.1"),
  /** Deadlines for a model call (worker/core/providers/deadlines.ts): the wait for a provider's first
   * event while a person watches a stream, the same for a non-streaming /v1 answer, the longest
   * silence between two events once it streams, and the whole answer. Each one missed counts as a
   * failure for that provider's circuit breaker and hands the answer to the next in the chain. */
  MODEL_FIRST_EVENT_TIMEOUT_MS: int(50, 600_000).default(4_000),
  MODEL_BLOCKING_FIRST_EVENT_TIMEOUT_MS: int(50, 600_000).default(15_000),
  MODEL_IDLE_TIMEOUT_MS: int(50, 600_000).default(10_000),
  MODEL_TURN_DEADLINE_MS: int(1_000, 3_600_000).default(120_000),
  /** Milliseconds without a first event before the next model in the chain is started alongside
   * (the first to answer is kept, the other cancelled); 0 turns hedging off. */
  MODEL_HEDGE_DELAY_MS: int(0, 600_000).default(0),
  /** How long a model's open circuit breaker rests it before letting one probe call through. */
  MODEL_BREAKER_COOLDOWN_MS: int(100, 3_600_000).default(30_000),
  EMBEDDING_MODEL: z.string().default("@cf/baai/bge-small-en-v1.5"),
  HTTP_TOOL_ALLOWLIST: csv.default([]),
  /** Limits per route class, `class=limit/seconds` pairs; see worker/ratelimit/policy.ts. */
  RATE_LIMITS: z
    .string()
    .regex(/^(\s*[a-z_]+=\d+\/\d+\s*)(,\s*[a-z_]+=\d+\/\d+\s*)*$/, "must look like read=600/60,write=120/60")
    .optional(),
  /** Seconds a cached GET answer lives in KV (KV's minimum is 60). */
  CACHE_TTL_SECONDS: int(60, 86_400).default(60),
  /** Seconds an isolate keeps a cached GET answer and its resource's generation in memory, in
   * front of KV (a write made here is seen at once, elsewhere within this); 0 = KV only. */
  CACHE_MEMORY_TTL_SECONDS: int(0, 60).default(5),
  /** Seconds an isolate may reuse a resolved API key or access token before asking D1 again
   * (revocation is immediate in the isolate that made it, within this everywhere else); 0 = off. */
  AUTH_CACHE_TTL_SECONDS: int(0, 300).default(10),
  /** Seconds an isolate may reuse what chat and search look up on every request: an agent's
   * current definition, a conversation's owner, a knowledge base's settings (a change made here
   * is seen at once, elsewhere within this); 0 = read D1 every time. */
  DEFINITION_CACHE_TTL_SECONDS: int(0, 300).default(10),
  /** Hours a workspace invitation can be accepted before it lapses (default 7 days). */
  INVITATION_TTL_HOURS: int(1, 90 * 24).default(7 * 24),
  /** Traces (worker/core/trace): `off` records no spans at all. */
  TRACING: z.enum(["on", "off"]).default("on"),
  /** Share of ordinary traces kept (errors, blocked, degraded and slow ones always are, so is every
   * offline answer); unset: one in ten, in every environment (see traceSampleRate). */
  TRACE_SAMPLE_RATE: z.coerce.number().min(0).max(1).optional(),
  /** A trace whose request took longer than this is kept whatever the sample rate. */
  TRACE_SLOW_MS: int(1, 600_000).default(1000),
  /** How long a kept trace waits for others to share its D1 batch (core/trace/store.ts). */
  TRACE_BATCH_MS: int(0, 10_000).default(500),
  /** Days a stored trace is kept before the Cron Trigger purges it. */
  TRACE_RETENTION_DAYS: int(1, 365).default(7),
  /** `on`: prompts and answers may go on spans, after the safety redactor (core/trace/content.ts). */
  TRACE_CAPTURE_CONTENT: z.enum(["on", "off"]).default("off"),
  /** An OTLP/HTTP collector (spans POSTed as JSON to {endpoint}/v1/traces); unset: D1 only. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** Headers for the collector, `key=value,key2=value2` (URL-encoded values), per the OTel spec. */
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, "must look like key=value,key2=value2")
    .optional(),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigKey = keyof Config;

/** Keys whose values are never logged or returned. */
export const SECRET_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>([
  "ADMIN_PASSWORD",
  "PASSWORD_PEPPER",
  "JWT_KEYS",
  "LLM_API_KEY",
  "OTEL_EXPORTER_OTLP_HEADERS",
]);

/**
 * The share of ordinary traces kept: TRACE_SAMPLE_RATE, else 10% everywhere. Keeping every trace
 * in development cost 18% of the middleware benchmark's throughput (BENCHMARKS.md, issue 20's
 * budget is 5%); set TRACE_SAMPLE_RATE=1 in .dev.vars to see every request.
 */
export function traceSampleRate(config: Config): number {
  return config.TRACE_SAMPLE_RATE ?? 0.1;
}

export class ConfigError extends Error {
  constructor(readonly problems: { key: string; message: string }[]) {
    super(`Invalid configuration: ${problems.map((p) => `${p.key}: ${p.message}`).join("; ")}`);
    this.name = "ConfigError";
  }
}

const KEYS = Object.keys(ConfigSchema.shape) as ConfigKey[];

export function parseConfig(source: Record<string, unknown>): Config {
  const raw: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = source[key];
    // An empty string in .dev.vars means "unset", so the default applies.
    if (value !== undefined && value !== "") raw[key] = value;
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => ({ key: String(i.path[0] ?? "?"), message: i.message })));
  }
  const config = result.data;
  // Development and test may fall back on weak secrets, for loopback hosts only (withConfig).
  if (config.ENVIRONMENT === "production" || config.ENVIRONMENT === "staging") {
    const weak = weakSecrets(config);
    if (weak.length) throw new ConfigError(weak);
  }
  return config;
}

const cache = new WeakMap<object, Config>();

/** The validated config for this `env`, parsed once per isolate. */
export function getConfig(env: object): Config {
  let config = cache.get(env);
  if (!config) {
    config = parseConfig(env as Record<string, unknown>);
    cache.set(env, config);
  }
  return config;
}

/** The effective configuration with secrets redacted, for logs and the admin view. */
export function redactedConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEYS)
    out[key] = SECRET_KEYS.has(key) ? (config[key] === undefined ? null : "[redacted]") : (config[key] ?? null);
  return out;
}
