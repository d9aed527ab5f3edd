// Reservations: exact, all-or-nothing holds on several small sliding windows at once, for
// limits that must be counted before the outcome is known (a sign-in attempt holds its slot
// while the password is checked, so concurrent guesses cannot all slip under the limit). Each
// window keeps the times of its holds, so the wait it answers is exact, never a slot longer.
// The RateLimiter Durable Object stores the windows; the decisions are made here.

export interface WindowLimit {
  /** The window's name inside its Durable Object, e.g. "account" or "pair:198.51.100.7". */
  bucket: string;
  limit: number;
  windowMs: number;
}

/** A window as stored: its length (so expired holds can be swept) and its holds' times, oldest first. */
export interface StoredWindow {
  windowMs: number;
  times: number[];
}

export interface Reservation {
  allowed: boolean;
  /** When the holds were taken: hand it back to `release` to give them up. */
  at: number;
  /** The windows that had no room (empty when allowed). */
  refused: string[];
  /** Milliseconds until every refusing window has room again (0 when allowed). */
  retryAfterMs: number;
}

export const live = (w: StoredWindow | undefined, now: number): number[] =>
  w ? w.times.filter((t) => t > now - w.windowMs) : [];

/** Milliseconds until one more hold fits: 0 if it fits now, else until enough holds age out. */
function untilRoom(times: readonly number[], limit: number, windowMs: number, now: number): number {
  if (times.length < limit) return 0;
  const freeing = times[times.length - limit] ?? now;
  return Math.max(1, freeing + windowMs - now);
}

/**
 * Decides a reservation against the windows' current holds. Returns the windows to write
 * (each with the new hold) when every window has room, and none when any is full.
 */
export function decide(
  limits: readonly WindowLimit[],
  current: ReadonlyMap<string, StoredWindow>,
  now: number,
): { reservation: Reservation; writes: Map<string, StoredWindow> } {
  const holds = limits.map((l) => ({ l, times: live(current.get(l.bucket), now) }));
  const waits = holds.map(({ l, times }) => untilRoom(times, l.limit, l.windowMs, now));
  const refused = limits.filter((_, i) => (waits[i] ?? 0) > 0).map((l) => l.bucket);
  if (refused.length > 0)
    return { reservation: { allowed: false, at: now, refused, retryAfterMs: Math.max(...waits) }, writes: new Map() };
  const writes = new Map(holds.map(({ l, times }) => [l.bucket, { windowMs: l.windowMs, times: [...times, now] }]));
  return { reservation: { allowed: true, at: now, refused: [], retryAfterMs: 0 }, writes };
}

/** The window without one hold taken at `at` (holds taken at the same moment are interchangeable). */
export function withoutHold(w: StoredWindow, at: number): StoredWindow {
  const i = w.times.indexOf(at);
  return i < 0 ? w : { windowMs: w.windowMs, times: [...w.times.slice(0, i), ...w.times.slice(i + 1)] };
}
