// The latency histogram's buckets, shared by the Prometheus families and the Monitoring page's
// per-minute buckets, and how a percentile is read back from bucket counts.

/** Upper bounds in ms for the latency histograms; counts past the last fall in a final +Inf bucket. */
export const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

/** Index of the bucket a value falls in (BUCKETS_MS.length for +Inf). */
export function bucketIndex(value: number): number {
  const at = BUCKETS_MS.findIndex((b) => value <= b);
  return at === -1 ? BUCKETS_MS.length : at;
}

/**
 * The q-quantile (0..1) of values counted per bucket (non-cumulative, BUCKETS_MS.length + 1
 * counts), interpolated linearly inside the bucket the rank falls in, as Prometheus'
 * histogram_quantile does; the +Inf bucket answers its lower bound. Null without samples.
 */
export function quantile(q: number, counts: readonly number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i] ?? 0;
    if (n > 0 && below + n >= rank) {
      const lower = i === 0 ? 0 : (BUCKETS_MS[i - 1] as number);
      if (i >= BUCKETS_MS.length) return lower;
      const upper = BUCKETS_MS[i] as number;
      return lower + ((upper - lower) * (rank - below)) / n;
    }
    below += n;
  }
  return BUCKETS_MS[BUCKETS_MS.length - 1] as number;
}
