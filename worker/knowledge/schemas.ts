// Request and response shapes for knowledge bases, documents and search (types shared with the
// dashboard and the CLI).

import type * as api from "@hive/shared/api-types/knowledge";
import {
  CHUNK_SIZE,
  DEFAULT_CHUNK_OVERLAP,
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  MAX_TAGS,
  REFETCH_INTERVAL_HOURS,
  SEARCH_MODES,
} from "@hive/shared/api-types/knowledge";
import { z } from "@hono/zod-openapi";
import { displayName } from "../core/names";
import { inQuery, PageQuery, page } from "../core/openapi";
import type { Expect, Same } from "../core/same-type";

const KbId = z.string().regex(/^kb_[A-Za-z0-9]{1,40}$/, "must be a knowledge base id (kb_...)");
const DocId = z.string().regex(/^doc_[A-Za-z0-9]{1,40}$/, "must be a document id (doc_...)");
export const Tag = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^,\n]+$/, "must not contain commas or newlines");
export const Tags = z
  .array(Tag)
  .max(MAX_TAGS)
  .transform((tags) => [...new Set(tags)]);

export const KbIdParam = z.object({ id: KbId.openapi({ param: { name: "id", in: "path" }, example: "kb_3kT9aZ" }) });
export const DocIdParam = KbIdParam.extend({
  docId: DocId.openapi({ param: { name: "docId", in: "path" }, example: "doc_3kT9aZ" }),
});

export const KnowledgeBase = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    embedding_model: z.string(),
    chunk_size: z
      .number()
      .int()
      .openapi({ description: "Maximum tokens per chunk (estimated: 1 per 4 letters of a word, 1 per symbol)" }),
    chunk_overlap: z
      .number()
      .int()
      .openapi({ description: "Maximum tokens repeated from the end of the previous chunk" }),
    owner_id: z.string(),
    refetch_interval_hours: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Its URL documents are re-fetched this often; null: only when asked" }),
    document_count: z.number().int(),
    chunk_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("KnowledgeBase");
export type KnowledgeBase = z.infer<typeof KnowledgeBase>;
export const KnowledgeBasePage = page(KnowledgeBase).openapi("KnowledgeBasePage");
export type KnowledgeBasePage = z.infer<typeof KnowledgeBasePage>;

/** Overlap must stay below the size; more than half would index most text twice. */
const chunkSettingsValid = (size: number, overlap: number) => overlap < size && overlap <= Math.floor(size / 2);
const CHUNK_ISSUE = "chunk_overlap must be less than chunk_size and at most half of it";

const Name = displayName(200);
const Description = z.string().max(2000);
const ChunkSize = z.number().int().min(CHUNK_SIZE.min).max(CHUNK_SIZE.max);
const ChunkOverlap = z
  .number()
  .int()
  .min(0)
  .max(CHUNK_SIZE.max / 2);
const RefetchInterval = z.number().int().min(REFETCH_INTERVAL_HOURS.min).max(REFETCH_INTERVAL_HOURS.max).nullable();

export const CreateKnowledgeBaseRequest = z
  .object({
    name: Name,
    description: Description.default(""),
    chunk_size: ChunkSize.default(CHUNK_SIZE.default),
    chunk_overlap: ChunkOverlap.default(DEFAULT_CHUNK_OVERLAP),
    embedding_model: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Defaults to the embedder this deployment runs" }),
    refetch_interval_hours: RefetchInterval.optional(),
  })
  .strict()
  // A fresh params object: zod normalises (and rewrites) the one it is given.
  .refine((v) => chunkSettingsValid(v.chunk_size, v.chunk_overlap), { message: CHUNK_ISSUE, path: ["chunk_overlap"] })
  .openapi("CreateKnowledgeBaseRequest");
export type CreateKnowledgeBaseRequest = z.input<typeof CreateKnowledgeBaseRequest>;

export const UpdateKnowledgeBaseRequest = z
  .object({
    name: Name.optional(),
    description: Description.optional(),
    chunk_size: ChunkSize.optional(),
    chunk_overlap: ChunkOverlap.optional(),
    refetch_interval_hours: RefetchInterval.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "send at least one field to change")
  .openapi("UpdateKnowledgeBaseRequest");
export type UpdateKnowledgeBaseRequest = z.infer<typeof UpdateKnowledgeBaseRequest>;

/** The cross-field rule, applied again after merging a partial update with the stored values. */
export function checkChunkSettings(size: number, overlap: number): string | null {
  return chunkSettingsValid(size, overlap) ? null : CHUNK_ISSUE;
}

export const DocumentStatus = z.enum(DOCUMENT_STATUSES);
export const KnowledgeDocument = z
  .object({
    id: z.string(),
    knowledge_base_id: z.string(),
    name: z.string(),
    content_type: z.enum(DOCUMENT_TYPES),
    size_bytes: z.number().int(),
    content_hash: z.string().openapi({ description: "SHA-256 of the uploaded bytes, hex" }),
    char_count: z
      .number()
      .int()
      .openapi({ description: "Length of the extracted text that citation offsets point into" }),
    tags: z.array(z.string()),
    status: DocumentStatus,
    progress: z.number().min(0).max(1),
    error: z.string().nullable(),
    chunk_count: z.number().int(),
    attempts: z.number().int(),
    source_url: z
      .string()
      .nullable()
      .openapi({ description: "The page this document was fetched from; null for uploads" }),
    checked_at: z.string().nullable().openapi({ description: "When its page was last fetched, changed or not" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("KnowledgeDocument");
export type KnowledgeDocument = z.infer<typeof KnowledgeDocument>;
export const DocumentPage = page(KnowledgeDocument).openapi("KnowledgeDocumentPage");
export type DocumentPage = z.infer<typeof DocumentPage>;
export const DocumentWithText = KnowledgeDocument.extend({ text: z.string().optional() }).openapi(
  "KnowledgeDocumentWithText",
);

export const UploadResult = KnowledgeDocument.extend({
  action: z.enum(["created", "replaced", "reprocessed", "unchanged"]).openapi({
    description:
      "created: a new document; replaced: new content for an existing one; reprocessed: same content indexed again; unchanged: PUT of the content it already has",
  }),
}).openapi("KnowledgeUploadResult");
export type UploadResult = z.infer<typeof UploadResult>;

const Flag = z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")]);

export const JsonUploadRequest = z
  .object({
    name: displayName(255),
    content_type: z
      .string()
      .max(100)
      .optional()
      .openapi({ description: `One of ${DOCUMENT_TYPES.join(", ")}; inferred from the name when omitted` }),
    content: z.string().openapi({
      description: "The document: text as is, or base64 when content_encoding is base64 (required for PDF)",
    }),
    content_encoding: z.enum(["utf-8", "base64"]).default("utf-8"),
    tags: Tags.default([]),
    replace: Flag.default(false).openapi({
      description: "Index again even when a document with the same content exists",
    }),
  })
  .strict()
  .openapi("KnowledgeJsonUpload");
export type JsonUploadRequest = z.input<typeof JsonUploadRequest>;
export type JsonUpload = z.output<typeof JsonUploadRequest>;

/** Multipart tags arrive as one comma-separated field or as repeated fields. */
export const FormTags = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    v === undefined
      ? []
      : (Array.isArray(v) ? v : [v])
          .flatMap((s) => s.split(","))
          .map((s) => s.trim())
          .filter(Boolean),
  )
  .pipe(Tags);

export const MultipartUploadRequest = z
  .object({
    file: z.instanceof(File).openapi({ type: "string", format: "binary" }),
    name: displayName(255).optional().openapi({ description: "Defaults to the file name" }),
    tags: FormTags,
    replace: Flag.default(false),
  })
  .openapi("KnowledgeMultipartUpload");
export type MultipartUpload = z.output<typeof MultipartUploadRequest>;

export const DocumentListQuery = PageQuery.extend({
  status: DocumentStatus.optional().openapi(inQuery("status")),
});
export const DocumentGetQuery = z.object({
  include_text: Flag.default(false).openapi({ param: { name: "include_text", in: "query" } }),
});

export const SearchFilters = z
  .object({
    document_ids: z.array(DocId).min(1).max(100).optional(),
    tags: z.array(Tag).min(1).max(MAX_TAGS).optional().openapi({ description: "Documents carrying any of these tags" }),
  })
  .strict();
export type SearchFilters = z.infer<typeof SearchFilters>;

export const FusionWeights = z
  .object({ lexical: z.number().min(0).max(10), vector: z.number().min(0).max(10) })
  .strict()
  .refine((w) => w.lexical + w.vector > 0, "at least one weight must be above 0")
  .openapi("KnowledgeFusionWeights");

export const SearchRequest = z
  .object({
    query: z.string().trim().min(1).max(2000),
    top_k: z.number().int().min(1).max(50).default(10),
    mode: z.enum(SEARCH_MODES).default("hybrid"),
    filters: SearchFilters.default({}),
    rerank: z
      .boolean()
      .optional()
      .openapi({ description: "Rerank with @cf/baai/bge-reranker-base; default on when Workers AI is bound" }),
    weights: FusionWeights.optional().openapi({
      description:
        "Each retriever's weight in hybrid fusion; default 1 and 1, or vector 0.05 over the offline embedder",
    }),
  })
  .strict()
  .openapi("KnowledgeSearchRequest");
export type SearchRequest = z.input<typeof SearchRequest>;

export const Citation = z
  .object({
    document_id: z.string(),
    document_name: z.string(),
    knowledge_base_id: z.string(),
    chunk_id: z.string(),
    chunk_seq: z.number().int(),
    start_offset: z
      .number()
      .int()
      .openapi({ description: "Character offset of the chunk in the document's extracted text" }),
    end_offset: z.number().int(),
    source_url: z.string().nullable().openapi({ description: "The web page the document was fetched from" }),
  })
  .openapi("KnowledgeCitation");

export const SearchHit = z
  .object({
    chunk_id: z.string(),
    content: z.string(),
    citation: Citation,
    snippet: z.object({
      text: z.string(),
      start_offset: z.number().int().openapi({ description: "Offset of the snippet in the document text" }),
      highlights: z
        .array(z.object({ start: z.number().int(), end: z.number().int() }))
        .openapi({ description: "Matched query terms, as offsets into snippet.text" }),
    }),
    score: z
      .number()
      .openapi({ description: "The fused score hits are ordered by (or the rerank score when reranked)" }),
    scores: z.object({
      lexical: z.number().nullable().openapi({ description: "-bm25(): higher is better" }),
      vector: z.number().nullable().openapi({ description: "cosine similarity" }),
      fused: z.number().openapi({ description: "weighted reciprocal rank fusion (see rrf_k and weights)" }),
      rerank: z.number().nullable(),
    }),
    ranks: z.object({ lexical: z.number().int().nullable(), vector: z.number().int().nullable() }),
    tags: z.array(z.string()),
  })
  .openapi("KnowledgeSearchHit");
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResponse = z
  .object({
    data: z.array(SearchHit),
    mode: z.enum(SEARCH_MODES),
    reranked: z.boolean(),
    degraded: z.boolean().openapi({ description: "A retriever failed and hybrid search answered with the other one" }),
    weights: FusionWeights.openapi({ description: "The fusion weights used" }),
    rrf_k: z
      .number()
      .int()
      .openapi({ description: "The reciprocal rank fusion constant used: 60, or 10 over the offline embedder" }),
    took_ms: z.number(),
  })
  .openapi("KnowledgeSearchResponse");
export type SearchResponse = z.infer<typeof SearchResponse>;

// The types clients import from shared/api-types are exactly what these schemas accept and return.
type _Checks = [
  Expect<Same<KnowledgeBase, api.KnowledgeBase>>,
  Expect<Same<CreateKnowledgeBaseRequest, api.CreateKnowledgeBaseRequest>>,
  Expect<Same<UpdateKnowledgeBaseRequest, api.UpdateKnowledgeBaseRequest>>,
  Expect<Same<KnowledgeDocument, api.KnowledgeDocument>>,
  Expect<Same<UploadResult, api.UploadResult>>,
  Expect<Same<JsonUploadRequest, api.JsonUploadRequest>>,
  Expect<Same<SearchFilters, api.SearchFilters>>,
  Expect<Same<SearchRequest, api.SearchRequest>>,
  Expect<Same<SearchHit, api.SearchHit>>,
  Expect<Same<SearchResponse, api.SearchResponse>>,
];
