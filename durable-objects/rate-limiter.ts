// Exact rate limiting: one instance per limited principal (API key, user, workspace or IP),
// never one global object. A sliding-window log in SQLite storage: the object is
// single-threaded, so concurrent requests are counted exactly, and the log survives eviction.
import { DurableObject } from "cloudflare:workers";

export interface HitRequest {
  /** The route class or budget inside this principal: "read", "write", "chat", "chat_tokens". */
  bucket: string;
  limit: number;
  windowMs: number;
  /** Units this request costs (1 per request; tokens for token budgets). */
  cost?: number;
  /** "consume" admits only if it fits; "record" always records (post-hoc token usage). */
  mode?: "consume" | "record";
}

export interface HitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until enough of the window has passed for this request to fit. */
  resetMs: number;
}

export class RateLimiter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS hits (bucket TEXT NOT NULL, ts INTEGER NOT NULL, cost INTEGER NOT NULL);" +
        "CREATE INDEX IF NOT EXISTS hits_bucket_ts ON hits (bucket, ts);",
    );
  }

  async hit(req: HitRequest): Promise<HitResult> {
    const now = Date.now();
    const cost = Math.max(0, Math.floor(req.cost ?? 1));
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM hits WHERE bucket = ? AND ts <= ?", req.bucket, now - req.windowMs);
    const used = Number(sql.exec<{ used: number | null }>("SELECT SUM(cost) AS used FROM hits WHERE bucket = ?", req.bucket).one().used ?? 0);
    const fits = used + cost <= req.limit;
    if (fits || req.mode === "record") {
      if (cost > 0) sql.exec("INSERT INTO hits (bucket, ts, cost) VALUES (?, ?, ?)", req.bucket, now, cost);
    }
    const usedAfter = fits || req.mode === "record" ? used + cost : used;
    return {
      allowed: fits,
      limit: req.limit,
      remaining: Math.max(0, req.limit - usedAfter),
      resetMs: this.resetMs(req, now, fits ? 0 : used + cost - req.limit),
    };
  }

  /** Time until `excess` units have aged out of the window (or until the oldest hit does). */
  private resetMs(req: HitRequest, now: number, excess: number): number {
    const rows = this.ctx.storage.sql.exec<{ ts: number; cost: number }>(
      "SELECT ts, cost FROM hits WHERE bucket = ? ORDER BY ts ASC",
      req.bucket,
    );
    let freed = 0;
    for (const row of rows) {
      freed += row.cost;
      if (freed >= excess) return Math.max(0, row.ts + req.windowMs - now);
    }
    return req.windowMs;
  }
}
