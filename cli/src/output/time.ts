// Timestamps in tables: UTC to the minute, "never" or "-" for missing ones.
export function shortTime(iso: string | null, missing = "-"): string {
  if (!iso) return missing;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace("T", " ")}Z`;
}

/** A time in epoch milliseconds, UTC to the minute. */
export const msTime = (ms: number): string => shortTime(new Date(ms).toISOString());
