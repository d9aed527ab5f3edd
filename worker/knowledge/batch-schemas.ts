// Request and response shapes for bulk ingestion: the batch upload and the ingestion progress
// of a knowledge base (types shared with the dashboard and the CLI).
import type * as api from "@hive/shared/api-types/knowledge";
import { BATCH_ITEM_STATUSES } from "@hive/shared/api-types/knowledge";
import { z } from "@hono/zod-openapi";
import type { Expect, Same } from "../core/same-type";
import { FormTags, KnowledgeDocument, Tags } from "./schemas";

const BatchUploadFile = z
  .object({
    // Checked per file by the upload (length, control characters), so one bad name refuses one file.
    name: z.string().max(1024),
    content_type: z.string().max(100).optional(),
    content: z.string(),
    content_encoding: z.enum(["utf-8", "base64"]).default("utf-8"),
    tags: Tags.default([]),
  })
  .strict();

export const BatchUploadRequest = z
  .object({
    files: z
      .array(BatchUploadFile)
      .min(1)
      .openapi({ description: "At most KNOWLEDGE_BATCH_MAX_FILES files, KNOWLEDGE_BATCH_MAX_BYTES together" }),
  })
  .strict()
  .openapi("KnowledgeBatchUpload");
export type BatchUploadRequest = z.input<typeof BatchUploadRequest>;
export type JsonBatch = z.output<typeof BatchUploadRequest>;

const FilePart = z.instanceof(File).openapi({ type: "string", format: "binary" });

export const MultipartBatchUploadRequest = z
  .object({
    file: z.union([FilePart, z.array(FilePart)]).transform((f) => (Array.isArray(f) ? f : [f])),
    tags: FormTags.openapi({ description: "Tags for every file: comma-separated or repeated" }),
  })
  .openapi("KnowledgeMultipartBatchUpload");
export type MultipartBatch = z.output<typeof MultipartBatchUploadRequest>;

const BatchUploadItem = z
  .object({
    index: z.number().int(),
    name: z.string(),
    status: z.enum(BATCH_ITEM_STATUSES),
    document: KnowledgeDocument.optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi("KnowledgeBatchUploadItem");

export const BatchUploadResponse = z
  .object({
    results: z.array(BatchUploadItem),
    summary: z.object({
      created: z.number().int(),
      unchanged: z.number().int(),
      replaced: z.number().int(),
      refused: z.number().int(),
    }),
  })
  .openapi("KnowledgeBatchUploadResponse");
export type BatchUploadResponse = z.infer<typeof BatchUploadResponse>;

export const IngestionStatus = z
  .object({
    counts: z.object({
      queued: z.number().int(),
      processing: z.number().int(),
      ready: z.number().int(),
      failed: z.number().int(),
    }),
    unchanged_last_hour: z
      .number()
      .int()
      .openapi({ description: "Documents uploaded again unchanged in the last hour (nothing queued for them)" }),
    rate_per_minute: z.number().int().openapi({ description: "Documents that became ready in the last 60 s" }),
    in_flight: z.boolean().openapi({ description: "Some documents are still queued or processing" }),
  })
  .openapi("KnowledgeIngestionStatus");
export type IngestionStatus = z.infer<typeof IngestionStatus>;

type _Checks = [
  Expect<Same<BatchUploadRequest, api.BatchUploadRequest>>,
  Expect<Same<BatchUploadResponse, api.BatchUploadResponse>>,
  Expect<Same<IngestionStatus, api.IngestionStatus>>,
];
