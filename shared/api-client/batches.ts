// How clients cut a folder into batch uploads: consecutive groups under the batch route's caps
// (files and bytes per request), each file sent as base64 JSON so the exact bytes arrive and a
// signed-in browser's request passes the Worker's CSRF rule (JSON only).
import type { BatchUploadFile } from "../api-types";
import { uploadBody } from "./knowledge";

/** What one batch request carries at most: below the Worker's defaults (100 files, 16 MiB). */
export const BATCH_LIMITS = { files: 50, bytes: 4 * 1024 * 1024 } as const;

/**
 * Consecutive groups of at most `limits.files` files and `limits.bytes` bytes, in order; a file
 * larger than the byte cap goes alone (the Worker refuses it with a reason of its own).
 */
export function batchesOf<T extends { size: number }>(
  files: readonly T[],
  limits: { files: number; bytes: number } = BATCH_LIMITS,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const file of files) {
    if (current.length > 0 && (current.length >= limits.files || bytes + file.size > limits.bytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** One file of a batch: its name in the knowledge base and its exact bytes, as base64. */
export const batchFile = (name: string, bytes: Uint8Array, tags: string[] = []): BatchUploadFile =>
  uploadBody(name, bytes, tags.length ? { tags } : {});
