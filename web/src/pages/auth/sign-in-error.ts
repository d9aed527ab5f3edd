// What a failed sign-in tells the person: the API's own words for wrong credentials, and for
// a lockout (429) how long to wait, from Retry-After.
import { HiveApiError, HiveNetworkError } from "@hive/shared/api-client";

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export function signInErrorText(error: unknown): string {
  if (error instanceof HiveApiError) {
    if (error.status === 429) {
      const fromDetails = error.details.retry_after_seconds;
      const wait = error.retryAfterSeconds ?? (typeof fromDetails === "number" ? fromDetails : null);
      return `Too many failed sign-in attempts. Try again ${wait ? `in ${duration(wait)}` : "later"}.`;
    }
    if (error.status === 401) return `${error.message}.`;
    return `${error.message}${error.requestId ? ` (request ${error.requestId})` : ""}`;
  }
  if (error instanceof HiveNetworkError)
    return "The dashboard cannot reach the API. Check your connection and try again.";
  return error instanceof Error ? error.message : String(error);
}
