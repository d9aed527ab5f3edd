// Exact rate limiting: one instance per limited principal (API key, user, workspace or IP),
// never one global object. A sliding window counted in slots, a storage key each: the object is
// single-threaded, so concurrent requests are counted exactly, and the counts survive eviction.
// It also keeps reservations (worker/ratelimit/reservations.ts): holds taken before an outcome
// is known, such as a sign-in attempt while its password is checked.
import { DurableObject } from "cloudflare:workers";
import {
  decide,
  live,
  type Reservation,
  type StoredWindow,
  type WindowLimit,
  withoutHold,
} from "../worker/ratelimit/reservations";

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
/** Reservation windows are stored one key each, apart from the slots above. */
const HOLD_PREFIX = "hold:";

export class RateLimiter extends DurableObject<Env> {
  /** Each bucket's live slots (slot → units), oldest first, read from storage once per wake.
   * Storage is written on every recorded hit; memory only spares the reads. */
  private readonly windows = new Map<string, Map<number, number>>();

  private window(bucket: string): Map<number, number> {
    let w = this.windows.get(bucket);
    if (!w) {
      const stored = [...this.ctx.storage.kv.list<number>({ prefix: `${bucket}/` })].map(
        ([key, used]) => [Number(key.slice(bucket.length + 1)), used] as const,
      );
      w = new Map(stored.sort((a, b) => a[0] - b[0]));
      this.windows.set(bucket, w);
    }
    return w;
  }

  async hit(req: HitRequest): Promise<HitResult> {
    const [result] = this.hitEach([req], req.mode === "record");
    return result as HitResult;
  }

  /**
   * Charges every request or none: a batch of uploads is charged by its document count and its
   * bytes at once, and refused whole when either window is full. Decided without awaiting, so
   * concurrent batches are admitted exactly up to each limit.
   */
  async hitAll(reqs: HitRequest[]): Promise<HitResult[]> {
    return this.hitEach(reqs, false);
  }

  private hitEach(reqs: HitRequest[], always: boolean): HitResult[] {
    const now = Date.now();
    const measured = reqs.map((req) => this.measure(req, now));
    const fits = measured.every((m) => m.used + m.cost <= m.req.limit);
    return measured.map(({ req, cost, slotMs, used, w }) => {
      const record = fits || always;
      if (record && cost > 0) {
        const current = Math.floor(now / slotMs);
        const units = (w.get(current) ?? 0) + cost;
        w.set(current, units);
        void this.ctx.storage.put(slotKey(req.bucket, current), units, UNCONFIRMED);
      }
      const usedAfter = record ? used + cost : used;
      const own = used + cost <= req.limit;
      return {
        allowed: fits,
        limit: req.limit,
        remaining: Math.max(0, req.limit - usedAfter),
        // A window with room reports when its next unit frees up; a full one, when this request fits.
        resetMs: untilFree(w, req.windowMs, now, slotMs, fits || own ? 1 : used + cost - req.limit),
      };
    });
  }

  /** A bucket's units still inside its window, after dropping the slots that aged out. */
  private measure(req: HitRequest, now: number) {
    const cost = Math.max(0, Math.floor(req.cost ?? 1));
    const slotMs = Math.max(1, Math.ceil(req.windowMs / SLOTS_PER_WINDOW));
    // A slot counts while any part of it is inside the window: this may hold a hit a little
    // longer than the window, never shorter, so no window ever admits more than the limit.
    const oldest = Math.floor((now - req.windowMs) / slotMs) + 1;
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
    if (expired.length) void this.ctx.storage.delete(expired, UNCONFIRMED);
    return { req, cost, slotMs, used, w };
  }

  /**
   * Takes one hold in every window or in none. Decided and written without awaiting anything,
   * so concurrent callers are admitted exactly up to each limit; storage writes are confirmed
   * before the answer leaves (no `allowUnconfirmed`: these counts guard passwords).
   */
  async reserve(limits: WindowLimit[]): Promise<Reservation> {
    const kv = this.ctx.storage.kv;
    const current = new Map<string, StoredWindow>();
    for (const l of limits) {
      const stored = kv.get<StoredWindow>(HOLD_PREFIX + l.bucket);
      if (stored) current.set(l.bucket, stored);
    }
    const now = Date.now();
    const { reservation, writes } = decide(limits, current, now);
    for (const [bucket, w] of writes) kv.put(HOLD_PREFIX + bucket, w);
    if (writes.size > 0) await this.sweepAfter(now + Math.max(...limits.map((l) => l.windowMs)));
    return reservation;
  }

  /** Gives back the holds a reservation took at `at`; `forget` windows are emptied altogether. */
  async release(buckets: string[], at: number, forget: string[] = []): Promise<void> {
    const kv = this.ctx.storage.kv;
    for (const bucket of buckets) {
      const stored = kv.get<StoredWindow>(HOLD_PREFIX + bucket);
      if (stored) kv.put(HOLD_PREFIX + bucket, withoutHold(stored, at));
    }
    for (const bucket of forget) kv.delete(HOLD_PREFIX + bucket);
  }

  /** Sweeps windows whose holds have all expired (e.g. one per client address), so storage stays small. */
  override async alarm(): Promise<void> {
    const kv = this.ctx.storage.kv;
    const now = Date.now();
    let next = 0;
    for (const [key, w] of kv.list<StoredWindow>({ prefix: HOLD_PREFIX })) {
      const times = live(w, now);
      if (times.length === 0) kv.delete(key);
      else next = Math.max(next, (times[times.length - 1] ?? now) + w.windowMs);
    }
    if (next > 0) await this.ctx.storage.setAlarm(next);
  }

  private async sweepAfter(at: number): Promise<void> {
    const scheduled = await this.ctx.storage.getAlarm();
    if (scheduled === null || scheduled < at) await this.ctx.storage.setAlarm(at);
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
