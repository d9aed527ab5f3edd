// `Idempotency-Key` on the POSTs that create resources: a client that retries after a timeout or
// a 503 gets the first answer (status and body) instead of a second resource. The first request
// claims the key in D1 (scoped to the workspace and credential) before its handler runs; a
// duplicate that arrives while it runs waits for its answer, then gets 409 if it is still running;
// the same key with another body is refused. Answers >= 500 are not kept: the claim is released
// so the retry runs again. Keys live 24 h and are purged lazily by later claims.
// POST /api/keys is left out on purpose: its answer holds the key's secret, shown once and never stored.

import { and, eq, lt } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { endpointPath } from "./authorize";
import { background } from "./background";
import { idempotencyKeys } from "./db/schema";
import type { HonoEnv } from "./env";
import { ApiError } from "./errors";
import { sha256Hex } from "./ids";
import { log } from "./logger";
import type { PERMISSIONS } from "./permissions";

/** The creating routes that honour the header, keyed like the permission table. */
const CREATING_ROUTES: ReadonlySet<string> = new Set<keyof typeof PERMISSIONS>([
  "POST /api/agents",
  "POST /api/agents/:id/conversations",
  "POST /api/knowledge-bases",
  "POST /api/knowledge-bases/:id/documents",
  "POST /api/workspaces",
  "POST /api/workspaces/:id/invitations",
  "POST /api/swarm/runs",
  "POST /api/users",
]);

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim with no answer after this long belongs to a request that died (an evicted isolate). */
const ABANDONED_MS = 60_000;
/** How long a duplicate waits for the first request's answer before it gets 409. */
const WAIT_MS = 3_000;
const POLL_MS = 50;
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;

type Row = typeof idempotencyKeys.$inferSelect;

async function fingerprint(route: string, body: ArrayBuffer): Promise<string> {
  const head = new TextEncoder().encode(`${route}\n`);
  const bytes = new Uint8Array(head.length + body.byteLength);
  bytes.set(head);
  bytes.set(new Uint8Array(body), head.length);
  return sha256Hex(bytes);
}

const replay = (c: Context<HonoEnv>, row: Row) =>
  c.body(row.body ?? "", row.status as 200, {
    "Content-Type": row.contentType ?? "application/json",
    "Idempotent-Replayed": "true",
  });

export const idempotency: MiddlewareHandler<HonoEnv> = async (c, next) => {
  const key = c.req.header("Idempotency-Key");
  const path = endpointPath(c);
  const p = c.var.principal;
  if (key === undefined || c.req.method !== "POST" || !path || p.kind === "anonymous") return next();
  const route = `POST ${path}`;
  if (!CREATING_ROUTES.has(route)) return next();
  if (!VALID_KEY.test(key)) {
    throw new ApiError("VALIDATION_ERROR", "Idempotency-Key must be 1 to 255 visible ASCII characters", {
      details: { header: "Idempotency-Key" },
    });
  }

  const db = c.var.services.db;
  const scope = `${p.workspaceId}:${p.kind === "api_key" ? `key:${p.credentialId}` : `user:${p.userId}`}`;
  const print = await fingerprint(route, await c.req.raw.clone().arrayBuffer());
  const where = and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));
  background(
    c,
    "idempotency_purge",
    db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, Date.now() - IDEMPOTENCY_TTL_MS)),
  );

  const claim = async () => {
    const claimed = await db
      .insert(idempotencyKeys)
      .values({ scope, key, workspaceId: p.workspaceId, route, fingerprint: print, createdAt: Date.now() })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    return claimed.length > 0;
  };

  const deadline = Date.now() + WAIT_MS;
  while (!(await claim())) {
    const [row] = await db.select().from(idempotencyKeys).where(where).limit(1);
    if (!row) continue;
    const age = Date.now() - row.createdAt;
    const stale = age >= IDEMPOTENCY_TTL_MS || (row.status === null && age >= ABANDONED_MS);
    if (stale) {
      await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.createdAt, row.createdAt)));
      continue;
    }
    if (row.fingerprint !== print || row.route !== route) {
      throw new ApiError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used for a different request", {
        details: { header: "Idempotency-Key" },
      });
    }
    if (row.status !== null) return replay(c, row);
    if (Date.now() >= deadline) {
      throw new ApiError("CONFLICT", "A request with this Idempotency-Key is still running; retry shortly", {
        details: { header: "Idempotency-Key" },
        headers: { "Retry-After": "1" },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }

  await next();
  try {
    if (c.res.status >= 500) {
      await db.delete(idempotencyKeys).where(where);
      return;
    }
    const body = await c.res.clone().text();
    await db
      .update(idempotencyKeys)
      .set({ status: c.res.status, contentType: c.res.headers.get("Content-Type"), body })
      .where(where);
  } catch (err) {
    // The resource exists and the client gets its answer; a retry within ABANDONED_MS gets 409.
    log(c, "warn", "idempotency_record_failed", { route, error: err instanceof Error ? err.message : String(err) });
  }
};
