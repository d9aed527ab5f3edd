// One sentence for any failure a page shows: the API's code and message with the request id
// operators look up in the logs, or the network reason.
import { HiveApiError } from "@hive/shared/api-client";

export function errorText(error: unknown): string {
  if (error instanceof HiveApiError) {
    return `${error.message} (${error.code}, HTTP ${error.status}${error.requestId ? `, request ${error.requestId}` : ""})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Per-field messages of a VALIDATION_ERROR, keyed by the field path ("model.id"). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof HiveApiError) || error.code !== "VALIDATION_ERROR") return {};
  const fields = error.details.fields;
  const out: Record<string, string> = {};
  if (!Array.isArray(fields)) return out;
  for (const f of fields) {
    if (
      typeof f === "object" &&
      f !== null &&
      "path" in f &&
      "message" in f &&
      typeof f.path === "string" &&
      typeof f.message === "string"
    ) {
      out[f.path] ??= f.message;
    }
  }
  return out;
}

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === "AbortError";
