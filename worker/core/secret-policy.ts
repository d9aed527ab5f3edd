// Why the platform refuses to serve with weak secrets. Anyone who knows the JWT signing key can
// sign in as anyone (the platform admin included), and anyone who knows the pepper can test
// password guesses offline; a secret that is missing, short or published in this repository
// is known to everyone. So staging and production refuse to start with one (config.ts), and
// development and test, which fall back to built-in or example values, answer only requests
// addressed to a loopback host: a `wrangler deploy` of the default environment by mistake
// answers 503 instead of serving a forgeable platform.
import type { Config } from "./config";

export const MIN_SECRET_BYTES = 32;

/** Secret values published in this repository (.dev.vars.example, vitest.config.mts): known to
 * everyone, so never a secret. test/worker/config.security.test.ts keeps this list complete. */
const PUBLISHED_SECRETS: ReadonlySet<string> = new Set([
  "change-me-local-admin-123",
  "local-dev-pepper-not-for-production",
  "local-dev-jwt-secret-change-me-0123456789",
  "test-admin-password-123",
  "test-pepper-0123456789abcdef",
  "test-jwt-secret-0123456789abcdef0123",
]);

export interface SecretProblem {
  key: "PASSWORD_PEPPER" | "JWT_KEYS" | "ADMIN_PASSWORD";
  message: string;
}

const bytes = (s: string) => new TextEncoder().encode(s).byteLength;

function weakness(value: string): string | undefined {
  if (PUBLISHED_SECRETS.has(value)) return "is an example value published in the repository";
  if (bytes(value) < MIN_SECRET_BYTES) return `is shorter than ${MIN_SECRET_BYTES} bytes`;
  return undefined;
}

/**
 * Every secret that is missing, shorter than MIN_SECRET_BYTES or a published example; the
 * messages name the key (and a JWT key's kid), never the value. ADMIN_PASSWORD may be absent
 * (it only bootstraps the first admin), but a set one must be strong.
 */
export function weakSecrets(config: Pick<Config, SecretProblem["key"]>): SecretProblem[] {
  const problems: SecretProblem[] = [];
  if (config.PASSWORD_PEPPER === undefined) problems.push({ key: "PASSWORD_PEPPER", message: "is missing" });
  else {
    const weak = weakness(config.PASSWORD_PEPPER);
    if (weak) problems.push({ key: "PASSWORD_PEPPER", message: weak });
  }
  const entries = (config.JWT_KEYS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) problems.push({ key: "JWT_KEYS", message: "is missing" });
  for (const entry of entries) {
    const at = entry.indexOf(":");
    const weak = at < 1 ? "is not kid:secret" : weakness(entry.slice(at + 1));
    if (weak) problems.push({ key: "JWT_KEYS", message: `entry "${at < 1 ? "?" : entry.slice(0, at)}" ${weak}` });
  }
  if (config.ADMIN_PASSWORD !== undefined) {
    const weak = weakness(config.ADMIN_PASSWORD);
    if (weak) problems.push({ key: "ADMIN_PASSWORD", message: weak });
  }
  return problems;
}

const fallbacks = new WeakMap<Config, SecretProblem[]>();

/** Development and test: the weak secrets this configuration falls back on (none elsewhere:
 * staging and production never parse with one). Computed once per configuration. */
export function developmentFallbacks(config: Config): SecretProblem[] {
  let found = fallbacks.get(config);
  if (!found) {
    found = config.ENVIRONMENT === "development" || config.ENVIRONMENT === "test" ? weakSecrets(config) : [];
    fallbacks.set(config, found);
  }
  return found;
}

/** localhost, 127.0.0.0/8 and [::1]: only this machine can address them. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}
