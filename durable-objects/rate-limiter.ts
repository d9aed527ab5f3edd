// Exact rate limiting: one instance per limited principal (API key, user, workspace or IP),
// never one global object. A sliding window counted in slots in SQLite storage: the object is
// single-threaded, so concurrent requests are counted exactly, and the counts survive eviction.
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

/** A window is counted in this many slots: O(slots) work per hit whatever the limit. */
const SLOTS_PER_WINDOW = 60;

export class RateLimiter extends DurableObject<Env> {
  /** Each bucket's live slots (slot → units), oldest first, read from SQLite once per wake.
   * Storage is written on every recorded hit; memory only spares the reads. */
  private readonly windows = new Map<string, Map<number, number>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS slots (bucket TEXT NOT NULL, slot INTEGER NOT NULL, used INTEGER NOT NULL, PRIMARY KEY (bucket, slot))",
    );
  }

  private window(bucket: string): Map<number, number> {
    let w = this.windows.get(bucket);
    if (!w) {
      w = new Map();
      for (const row of this.ctx.storage.sql.exec<{ slot: number; used: number }>("SELECT slot, used FROM slots WHERE bucket = ? ORDER BY slot ASC", bucket)) {
        w.set(row.slot, row.used);
      }
      this.windows.set(bucket, w);
    }
    return w;
  }

  async hit(req: HitRequest): Promise<HitResult> {
    const now = Date.now();
    const cost = Math.max(0, Math.floor(req.cost ?? 1));
    const slotMs = Math.max(1, Math.ceil(req.windowMs / SLOTS_PER_WINDOW));
    const current = Math.floor(now / slotMs);
    // A slot counts while any part of it is inside the window: this may hold a hit a little
    // longer than the window, never shorter, so no window ever admits more than the limit.
    const oldest = Math.floor((now - req.windowMs) / slotMs) + 1;
    const sql = this.ctx.storage.sql;
    const w = this.window(req.bucket);
    let expired = false;
    let used = 0;
    for (const [slot, units] of w) {
      if (slot < oldest) {
        w.delete(slot);
        expired = true;
      } else {
        used += units;
      }
    }
    if (expired) sql.exec("DELETE FROM slots WHERE bucket = ? AND slot < ?", req.bucket, oldest);
    const fits = used + cost <= req.limit;
    const record = fits || req.mode === "record";
    if (record && cost > 0) {
      w.set(current, (w.get(current) ?? 0) + cost);
      sql.exec(
        "INSERT INTO slots (bucket, slot, used) VALUES (?, ?, ?) ON CONFLICT (bucket, slot) DO UPDATE SET used = used + excluded.used",
        req.bucket,
        current,
        cost,
      );
    }
    const usedAfter = record ? used + cost : used;
    return {
      allowed: fits,
      limit: req.limit,
      remaining: Math.max(0, req.limit - usedAfter),
      resetMs: untilFree(w, req.windowMs, now, slotMs, fits ? 1 : used + cost - req.limit),
    };
  }
}

/** Time until `units` have aged out of the window (slots oldest first). */
function untilFree(w: Map<number, number>, windowMs: number, now: number, slotMs: number, units: number): number {
  let freed = 0;
  for (const [slot, used] of w) {
    freed += used;
    if (freed >= units) return Math.max(0, (slot + 1) * slotMs + windowMs - now);
  }
  return windowMs;
}
