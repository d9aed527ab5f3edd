// /api/knowledge-bases: knowledge bases, their documents (uploaded, then ingested on a queue)
// and search with citations. Uploads go as JSON with base64 content: the exact bytes arrive
// (so the content hash matches the file), and the Worker's CSRF rule accepts JSON from a
// signed-in browser, which it does not for multipart.
import {
  type BatchItemStatus,
  type BatchUploadFile,
  type BatchUploadItem,
  type BatchUploadResponse,
  CHUNK_SIZE,
  type CreateKnowledgeBaseRequest,
  DEFAULT_CHUNK_OVERLAP,
  type DocumentPage,
  type DocumentStatus,
  type DocumentType,
  type IngestionStatus,
  type JsonUploadRequest,
  type KnowledgeBase,
  type KnowledgeBasePage,
  type KnowledgeDocument,
  type SearchCitation,
  type SearchFilters,
  type SearchHit,
  type SearchMode,
  type SearchRequest,
  type SearchResponse,
  type UpdateKnowledgeBaseRequest,
  type UploadResult,
  WORKERS_AI_EMBEDDING_MODELS,
} from "../api-types";
import { type PageParams, segment, withQuery } from "./query";
import type { CallOptions, Transport } from "./transport";

export type {
  BatchItemStatus,
  BatchUploadFile,
  BatchUploadItem,
  BatchUploadResponse,
  CreateKnowledgeBaseRequest,
  DocumentPage,
  DocumentStatus,
  DocumentType,
  IngestionStatus,
  JsonUploadRequest,
  KnowledgeBase,
  KnowledgeBasePage,
  KnowledgeDocument,
  SearchCitation,
  SearchFilters,
  SearchHit,
  SearchMode,
  SearchRequest,
  SearchResponse,
  UpdateKnowledgeBaseRequest,
  UploadResult,
};
export { CHUNK_SIZE, DEFAULT_CHUNK_OVERLAP, WORKERS_AI_EMBEDDING_MODELS };

export const SEARCH_MODES: Readonly<Record<SearchMode, string>> = {
  hybrid: "Hybrid: full-text and vector hits fused by reciprocal rank",
  lexical: "Lexical: full-text (bm25) only",
  vector: "Vector: embedding similarity only",
};

export const DOCUMENT_STATUSES: Readonly<Record<DocumentStatus, string>> = {
  queued: "Waiting for ingestion",
  processing: "Being chunked and embedded",
  ready: "Searchable",
  failed: "Ingestion failed",
};

/** Ingestion is over for this document, one way or the other. */
export const isSettled = (doc: Pick<KnowledgeDocument, "status">) => doc.status === "ready" || doc.status === "failed";

/** File extensions an upload may have, and the type each is sent as. */
export const UPLOAD_EXTENSIONS: Readonly<Record<string, DocumentType>> = {
  txt: "text/plain",
  md: "text/markdown",
  markdown: "text/markdown",
  html: "text/html",
  htm: "text/html",
  json: "application/json",
  pdf: "application/pdf",
};

/** The type a file is uploaded as, or null when its extension is not one the Worker indexes. */
export function uploadTypeOf(fileName: string): DocumentType | null {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? "";
  return UPLOAD_EXTENSIONS[ext] ?? null;
}

/** Base64 without Node's Buffer, so browsers share it; chunked to stay under argument limits. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The JSON upload body for a file's bytes. */
export function uploadBody(
  name: string,
  bytes: Uint8Array,
  extra: { tags?: string[]; replace?: boolean } = {},
): JsonUploadRequest {
  const type = uploadTypeOf(name);
  return {
    name,
    content: toBase64(bytes),
    content_encoding: "base64",
    ...(type ? { content_type: type } : {}),
    ...extra,
  };
}

export interface DocumentListParams extends PageParams {
  status?: DocumentStatus;
}

export const documentsPath = (kbId: string) => `/api/knowledge-bases/${segment(kbId)}/documents`;

export class KnowledgeApi {
  constructor(private readonly http: Transport) {}

  list(params: PageParams = {}, opts?: CallOptions): Promise<KnowledgeBasePage> {
    return this.http.json<KnowledgeBasePage>("GET", withQuery("/api/knowledge-bases", { ...params }), undefined, opts);
  }

  create(body: CreateKnowledgeBaseRequest, opts?: CallOptions): Promise<KnowledgeBase> {
    return this.http.json<KnowledgeBase>("POST", "/api/knowledge-bases", body, opts);
  }

  get(id: string, opts?: CallOptions): Promise<KnowledgeBase> {
    return this.http.json<KnowledgeBase>("GET", `/api/knowledge-bases/${segment(id)}`, undefined, opts);
  }

  /** Changing chunk settings queues every document for ingestion again. */
  update(id: string, body: UpdateKnowledgeBaseRequest, opts?: CallOptions): Promise<KnowledgeBase> {
    return this.http.json<KnowledgeBase>("PATCH", `/api/knowledge-bases/${segment(id)}`, body, opts);
  }

  /** Deletes the knowledge base with every document, chunk and vector. */
  delete(id: string, opts?: CallOptions): Promise<void> {
    return this.http.empty("DELETE", `/api/knowledge-bases/${segment(id)}`, undefined, opts);
  }

  documents(kbId: string, params: DocumentListParams = {}, opts?: CallOptions): Promise<DocumentPage> {
    return this.http.json<DocumentPage>("GET", withQuery(documentsPath(kbId), { ...params }), undefined, opts);
  }

  document(kbId: string, docId: string, opts?: CallOptions): Promise<KnowledgeDocument> {
    return this.http.json<KnowledgeDocument>("GET", `${documentsPath(kbId)}/${segment(docId)}`, undefined, opts);
  }

  /** Stores the document and queues it (202); poll `document()` until it is ready or failed. */
  upload(kbId: string, body: JsonUploadRequest, opts?: CallOptions): Promise<UploadResult> {
    return this.http.json<UploadResult>("POST", documentsPath(kbId), body, opts);
  }

  /**
   * Uploads several files in one request (at most KNOWLEDGE_BATCH_MAX_FILES, 100 by default);
   * each gets its own result in the order sent: created, unchanged (same name and content already
   * there, nothing queued), replaced, or refused with the reason. The request is charged to the
   * workspace's ingest limit whole: a 429 means none of it was taken.
   */
  uploadBatch(kbId: string, files: BatchUploadFile[], opts?: CallOptions): Promise<BatchUploadResponse> {
    return this.http.json<BatchUploadResponse>("POST", `${documentsPath(kbId)}/batch`, { files }, opts);
  }

  /** Documents by state, unchanged re-uploads in the last hour, and documents ready in the last minute. */
  ingestionStatus(kbId: string, opts?: CallOptions): Promise<IngestionStatus> {
    return this.http.json<IngestionStatus>("GET", `/api/knowledge-bases/${segment(kbId)}/ingestion`, undefined, opts);
  }

  deleteDocument(kbId: string, docId: string, opts?: CallOptions): Promise<void> {
    return this.http.empty("DELETE", `${documentsPath(kbId)}/${segment(docId)}`, undefined, opts);
  }

  search(kbId: string, body: SearchRequest, opts?: CallOptions): Promise<SearchResponse> {
    return this.http.json<SearchResponse>("POST", `/api/knowledge-bases/${segment(kbId)}/search`, body, opts);
  }
}
