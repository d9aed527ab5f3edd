// KV holds copies, never the only record: the response cache, rate-limit blocks and workspace
// limits, and the hot copy of feature flags (their record is in D1). So a KV operation that fails
// must not fail the request: a failed read is a miss (the caller falls back to D1 or to defaults),
// a failed write or delete is skipped. The operator hears of it once a minute per binding and
// operation, by binding name; keys and values are never logged. Each operation is a span named
// by its binding, never its key (a key can name a caller).
import { writeLog } from "./logger";
import { withSpan } from "./trace/tracer";

/** The KV bindings in wrangler.toml. */
export type KvBinding = "CACHE" | "FLAGS";
type KvOp = "get" | "put" | "delete";

export const KV_FAILED = Symbol("kv failed");
const WARN_EVERY_MS = 60_000;
const warned = new Map<string, number>();

function warnOnce(binding: KvBinding, op: KvOp, err: unknown) {
  const key = `${binding}:${op}`;
  const now = Date.now();
  if (now - (warned.get(key) ?? 0) < WARN_EVERY_MS) return;
  warned.set(key, now);
  writeLog("warn", "kv_unavailable", {
    binding,
    op,
    error: (err instanceof Error ? err.message : String(err)).slice(0, 200),
    fallback: op === "get" ? "miss" : "skipped",
  });
}

/** Runs one KV operation; KV_FAILED when it threw, for callers that fall back (flags read D1). */
export async function kvAttempt<T>(
  binding: KvBinding,
  op: KvOp,
  work: () => Promise<T>,
): Promise<T | typeof KV_FAILED> {
  try {
    return await withSpan(
      `KV ${op}`,
      { "db.system": "cloudflare_kv", "db.namespace": binding, "db.operation.name": op },
      work,
      "client",
    );
  } catch (err) {
    warnOnce(binding, op, err);
    return KV_FAILED;
  }
}

/** A read where a failure is simply a miss. */
export async function kvRead<T>(binding: KvBinding, read: () => Promise<T | null>): Promise<T | null> {
  const value = await kvAttempt(binding, "get", read);
  return value === KV_FAILED ? null : value;
}

/** A write or delete that is skipped when KV fails. */
export async function kvWrite(binding: KvBinding, op: "put" | "delete", write: () => Promise<void>): Promise<void> {
  await kvAttempt(binding, op, write);
}
