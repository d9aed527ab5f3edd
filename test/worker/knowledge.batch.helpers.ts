// Shared steps for the bulk-ingestion tests: batch uploads (JSON and multipart) through the
// public API, and the stored rows that show whether anything was written or queued.
import { env, SELF } from "cloudflare:test";
import type { BatchUploadFile, BatchUploadResponse, IngestionStatus } from "@hive/shared/api-types/knowledge";
import { type ApiResult, api, BASE, expectStatus } from "./helpers/harness";
import type { Caller } from "./knowledge.helpers";

export const batchPath = (kbId: string) => `/api/knowledge-bases/${kbId}/documents/batch`;

export function uploadBatch(
  caller: Caller,
  kbId: string,
  files: BatchUploadFile[],
): Promise<ApiResult<BatchUploadResponse>> {
  return api<BatchUploadResponse>("POST", batchPath(kbId), { token: caller.token, body: { files } });
}

export async function uploadBatchMultipart(
  caller: Caller,
  kbId: string,
  files: { name: string; type: string; text: string }[],
  fields: Record<string, string> = {},
): Promise<ApiResult<BatchUploadResponse>> {
  const form = new FormData();
  for (const f of files) form.append("file", new File([f.text], f.name, { type: f.type }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await SELF.fetch(`${BASE}${batchPath(kbId)}`, {
    method: "POST",
    body: form,
    headers: { Authorization: `Bearer ${caller.token}` },
  });
  return { status: res.status, body: (await res.json()) as BatchUploadResponse, headers: res.headers };
}

/** `count` small distinct text files. */
export const textFiles = (count: number, label = "file"): BatchUploadFile[] =>
  Array.from({ length: count }, (_, i) => ({
    name: `${label}-${i}.txt`,
    content: `${label} number ${i}: notes on compressible flow.`,
  }));

/** The knowledge base's document rows as stored, by name. */
export async function storedDocuments(kbId: string) {
  const rows = await env.DB.prepare(
    "SELECT id, name, status, content_hash, updated_at, attempts FROM documents WHERE knowledge_base_id = ? ORDER BY name",
  )
    .bind(kbId)
    .all<{ id: string; name: string; status: string; content_hash: string; updated_at: number; attempts: number }>();
  return rows.results;
}

/** Audit rows written for documents of this knowledge base (uploads and replacements). */
export async function documentAudits(kbId: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM audit_logs WHERE action IN ('document.upload', 'document.replace') AND json_extract(detail, '$.knowledge_base_id') = ?",
  )
    .bind(kbId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export function ingestionStatus(caller: Caller, kbId: string): Promise<IngestionStatus> {
  return expectStatus<IngestionStatus>(200, "GET", `/api/knowledge-bases/${kbId}/ingestion`, { token: caller.token });
}

/** The progress of a knowledge base where nothing is in flight. */
export const settled = (counts: Partial<IngestionStatus["counts"]>, unchanged: number, rate: number) => ({
  counts: { queued: 0, processing: 0, ready: 0, failed: 0, ...counts },
  unchanged_last_hour: unchanged,
  rate_per_minute: rate,
  in_flight: false,
});

/** Waits until nothing in the knowledge base is queued or processing (the queue consumer in the test runtime runs too). */
export async function untilSettled(caller: Caller, kbId: string): Promise<IngestionStatus> {
  for (;;) {
    const status = await ingestionStatus(caller, kbId);
    if (!status.in_flight) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
}
