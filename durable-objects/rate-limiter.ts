// Exact rate limiting: one instance per limited principal (API key, user, workspace or IP),
// never one global object. A sliding window counted in slots, a storage key each: the object is
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
/** Slots are stored one key each: `<bucket>/<slot>` → units used in that slot. */
const slotKey = (bucket: string, slot: number) => `${bucket}/${slot}`;
/**
 * Writes do not hold the answer until they are durable (`allowUnconfirmed`). Counting is exact
 * either way (this object is single-threaded and answers from memory); what the flag trades is
 * at most the hits of the last few milliseconds if the object crashes before its write lands,
 * for the wait on that write (0.5–2 ms a limited request here; BENCHMARKS.md, issue 5).
 */
const UNCONFIRMED = { allowUnconfirmed: true } as const;

export class RateLimiter extends DurableObject<Env> {
  /** Each bucket's live slots (slot → units), oldest first, read from storage once per wake.
   * Storage is written on every recorded hit; memory only spares the reads. */
  private readonly windows = new Map<string, Map<number, number>>();

  private window(bucket: string): Map<number, number> {
    let w = this.windows.get(bucket);
    if (!w) {
      const stored = [...this.ctx.storage.kv.list<number>({ prefix: `${bucket}/` })].map(([key, used]) => [Number(key.slice(bucket.length + 1)), used] as const);
      w = new Map(stored.sort((a, b) => a[0] - b[0]));
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
    const storage = this.ctx.storage;
    const w = this.window(req.bucket);
    const expired: string[] = [];
    let used = 0;
    for (const [slot, units] of w) {
      if (slot < oldest) {
        w.delete(slot);
        expired.push(slotKey(req.bucket, slot));
      } else {
        used += units;
      }
    }
    if (expired.length) void storage.delete(expired, UNCONFIRMED);
    const fits = used + cost <= req.limit;
    const record = fits || req.mode === "record";
    if (record && cost > 0) {
      const units = (w.get(current) ?? 0) + cost;
      w.set(current, units);
      void storage.put(slotKey(req.bucket, current), units, UNCONFIRMED);
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
