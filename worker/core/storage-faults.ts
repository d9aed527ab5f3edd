// Which thrown errors mean "D1 could not answer" (an outage, an overload, a reset of the database
// object) rather than a bug: those become 503 with Retry-After, so a client retries instead of
// reporting a server fault. A statement D1 refused (a constraint, bad SQL) is not an outage.
// Messages are D1's own (developers.cloudflare.com/d1/observability/debug-d1/#error-list); drizzle
// wraps them as the `cause` of its "Failed query" error, so the whole chain is read.

const UNAVAILABLE =
  /D1_ERROR|D1_RESET_DO|D1 DB|Network connection lost|storage operation exceeded timeout|object to be reset|transient issue|Too many requests queued/i;
const REFUSED =
  /constraint failed|SQLITE_CONSTRAINT|D1_TYPE_ERROR|D1_COLUMN_NOTFOUND|no such (table|column)|syntax error/i;

/** Seconds a client should wait before retrying a request D1 could not serve. */
export const STORAGE_RETRY_AFTER_SECONDS = 1;

function chain(err: unknown): string[] {
  const messages: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur instanceof Error && depth < 5; depth++) {
    messages.push(cur.message);
    cur = cur.cause;
  }
  return messages;
}

export function isStorageUnavailable(err: unknown): boolean {
  const text = chain(err).join("\n");
  return UNAVAILABLE.test(text) && !REFUSED.test(text);
}

/** D1's own message, for the log: drizzle's outer message quotes the statement and its parameters. */
export const storageFaultMessage = (err: unknown): string => (chain(err).at(-1) ?? "").slice(0, 200);
