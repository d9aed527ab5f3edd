// /api/knowledge-bases: knowledge bases, their documents (stored, then ingested on a queue) and
// hybrid search with citations.
import type { Page } from "./page";

export const CHUNK_SIZE = { min: 32, max: 2048, default: 400 } as const;
export const DEFAULT_CHUNK_OVERLAP = 60;
export const MAX_TAGS = 20;
export const SEARCH_MODES = ["hybrid", "lexical", "vector"] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];
export const DOCUMENT_STATUSES = ["queued", "processing", "ready", "failed"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];
/** The formats ingestion extracts text from. */
export const DOCUMENT_TYPES = [
  "text/plain",
  "text/markdown",
  "text/html",
  "application/json",
  "application/pdf",
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Workers AI embedding models a knowledge base may use when the AI binding is configured. */
export const WORKERS_AI_EMBEDDING_MODELS = [
  "@cf/baai/bge-small-en-v1.5",
  "@cf/baai/bge-base-en-v1.5",
  "@cf/baai/bge-large-en-v1.5",
  "@cf/baai/bge-m3",
] as const;

export interface KnowledgeBase {
  id: string;
  name: string;
  description: string;
  embedding_model: string;
  /** Maximum tokens per chunk. */
  chunk_size: number;
  /** Maximum tokens repeated from the end of the previous chunk. */
  chunk_overlap: number;
  owner_id: string;
  document_count: number;
  chunk_count: number;
  created_at: string;
  updated_at: string;
}
export type KnowledgeBasePage = Page<KnowledgeBase>;

export interface CreateKnowledgeBaseRequest {
  name: string;
  description?: string;
  chunk_size?: number;
  chunk_overlap?: number;
  /** Defaults to the embedder this deployment runs. */
  embedding_model?: string;
}

export interface UpdateKnowledgeBaseRequest {
  name?: string;
  description?: string;
  chunk_size?: number;
  chunk_overlap?: number;
}

export interface KnowledgeDocument {
  id: string;
  knowledge_base_id: string;
  name: string;
  content_type: DocumentType;
  size_bytes: number;
  /** SHA-256 of the uploaded bytes, hex. */
  content_hash: string;
  /** Length of the extracted text that citation offsets point into. */
  char_count: number;
  tags: string[];
  status: DocumentStatus;
  progress: number;
  error: string | null;
  chunk_count: number;
  attempts: number;
  created_at: string;
  updated_at: string;
}
export type DocumentPage = Page<KnowledgeDocument>;

export interface UploadResult extends KnowledgeDocument {
  action: "created" | "replaced" | "reprocessed" | "unchanged";
}

export interface JsonUploadRequest {
  name: string;
  /** One of DOCUMENT_TYPES; inferred from the name when omitted. */
  content_type?: string;
  /** Text as is, or base64 when content_encoding is base64 (required for PDF). */
  content: string;
  content_encoding?: "utf-8" | "base64";
  tags?: string[];
  /** Index again even when a document with the same content exists. */
  replace?: boolean | "true" | "false" | "1" | "0";
}

export interface SearchFilters {
  document_ids?: string[];
  /** Documents carrying any of these tags. */
  tags?: string[];
}

export interface FusionWeights {
  lexical: number;
  vector: number;
}

export interface SearchRequest {
  query: string;
  top_k?: number;
  mode?: SearchMode;
  filters?: SearchFilters;
  rerank?: boolean;
  weights?: FusionWeights;
}

export interface SearchCitation {
  document_id: string;
  document_name: string;
  knowledge_base_id: string;
  chunk_id: string;
  chunk_seq: number;
  start_offset: number;
  end_offset: number;
}

export interface SearchHit {
  chunk_id: string;
  content: string;
  citation: SearchCitation;
  snippet: { text: string; start_offset: number; highlights: { start: number; end: number }[] };
  score: number;
  scores: { lexical: number | null; vector: number | null; fused: number; rerank: number | null };
  ranks: { lexical: number | null; vector: number | null };
  tags: string[];
}

export interface SearchResponse {
  data: SearchHit[];
  mode: SearchMode;
  reranked: boolean;
  /** A retriever failed and hybrid search answered with the other one. */
  degraded: boolean;
  weights: FusionWeights;
  rrf_k: number;
  took_ms: number;
}

// --- Bulk ingestion (issue 18): batch upload and ingestion progress ---

/** One file of a JSON batch upload; its name is checked on its own, so a bad one is refused alone. */
export interface BatchUploadFile {
  name: string;
  /** One of DOCUMENT_TYPES; inferred from the name when omitted. */
  content_type?: string;
  /** Text as is, or base64 when content_encoding is base64 (required for PDF). */
  content: string;
  content_encoding?: "utf-8" | "base64";
  tags?: string[];
}

/** POST /api/knowledge-bases/:id/documents/batch as JSON (multipart: repeated `file` parts, optional `tags`). */
export interface BatchUploadRequest {
  files: BatchUploadFile[];
}

export const BATCH_ITEM_STATUSES = ["created", "unchanged", "replaced", "refused"] as const;
export type BatchItemStatus = (typeof BATCH_ITEM_STATUSES)[number];

export interface BatchUploadItem {
  /** Position of the file in the request, from 0. */
  index: number;
  name: string;
  /** created: new; unchanged: same name and content already there, nothing queued; replaced: new
   * content (or tags) for the document of that name, re-indexed; refused: this file was not taken. */
  status: BatchItemStatus;
  document?: KnowledgeDocument;
  error?: { code: string; message: string };
}

export interface BatchUploadResponse {
  results: BatchUploadItem[];
  summary: Record<BatchItemStatus, number>;
}

/** GET /api/knowledge-bases/:id/ingestion */
export interface IngestionStatus {
  counts: Record<DocumentStatus, number>;
  /** Documents uploaded again unchanged in the last hour (nothing queued for them). */
  unchanged_last_hour: number;
  /** Documents that became ready in the last 60 s. */
  rate_per_minute: number;
  /** Some documents are still queued or processing. */
  in_flight: boolean;
}
