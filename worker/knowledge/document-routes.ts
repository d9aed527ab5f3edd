// /api/knowledge-bases/:id/documents[/:docId]: upload (JSON or multipart), list, get, replace
// (PUT), delete. Uploads answer 202: the document is stored and queued; ingestion runs on the
// queue and the document's status and progress report it. A knowledge base's documents are what
// its agents read, so changing them takes the right to change the knowledge base (its owner or a
// workspace admin); any member reads them.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { audit } from "../audit/audit";
import type { Config } from "../core/config";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { setRouteBodyLimit } from "../core/middleware";
import { hasControlCharacters } from "../core/names";
import { commonErrors, ErrorSchema, jsonResponse, type Router, SIGNED_IN_SECURITY } from "../core/openapi";
import type { AuthenticatedPrincipal } from "../core/principal";
import { signedIn } from "../core/signed-in";
import { findDocument, listDocuments, loadText, toDocument } from "./document-store";
import { knowledgeBaseOf, managedKnowledgeBase } from "./kb-access";
import type { KnowledgeBaseRow } from "./kb-store";
import { purgeDocument } from "./purge";
import {
  DocIdParam,
  DocumentGetQuery,
  DocumentListQuery,
  DocumentPage,
  DocumentWithText,
  type JsonUpload,
  JsonUploadRequest,
  KbIdParam,
  type MultipartUpload,
  MultipartUploadRequest,
  UploadResult,
} from "./schemas";
import { ingestUploads, tooLarge, type UploadInput } from "./upload";

const tags = ["knowledge"];
const security = SIGNED_IN_SECURITY;

/** Room for base64 (4 bytes per 3) plus multipart or JSON framing around the largest document. */
export const uploadBodyLimit = (config: Config) => Math.ceil((config.KNOWLEDGE_MAX_UPLOAD_BYTES * 4) / 3) + 64 * 1024;

const uploadBody = {
  content: {
    "application/json": { schema: JsonUploadRequest },
    "multipart/form-data": { schema: MultipartUploadRequest },
  },
  required: false,
  description:
    "The document: multipart with a `file` field (plus optional `tags`, `name`, `replace`), or JSON with the content inline",
};

const uploadErrors = {
  409: jsonResponse(ErrorSchema, "The same content is already in the knowledge base (details.existing_document_id)"),
  413: jsonResponse(ErrorSchema, "Larger than KNOWLEDGE_MAX_UPLOAD_BYTES"),
  415: jsonResponse(ErrorSchema, "Not a supported document type"),
  422: jsonResponse(
    ErrorSchema,
    "The bytes are not what the type says, hold no text, or pass an extraction limit (details.limit: pages, characters or time)",
  ),
  ...commonErrors,
};

export function decodeBase64(content: string, limit: number): Uint8Array {
  const clean = content.replace(/\s+/g, "");
  const size = Math.floor((clean.length * 3) / 4) - (clean.endsWith("==") ? 2 : clean.endsWith("=") ? 1 : 0);
  if (size > limit) throw tooLarge(limit, size);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) {
    throw new ApiError("VALIDATION_ERROR", "Request validation failed", {
      details: { source: "json", fields: [{ path: "content", message: "not valid base64", code: "custom" }] },
    });
  }
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The upload in either encoding; the route's validators have already checked whichever was sent. */
type Parsed = JsonUpload | MultipartUpload | Record<string, never>;

async function readUpload(c: Context<HonoEnv>, json: Parsed, form: Parsed): Promise<Omit<UploadInput, "targetId">> {
  const limit = c.var.config.KNOWLEDGE_MAX_UPLOAD_BYTES;
  if ("file" in form && form.file) {
    const file = form.file;
    if (file.size > limit) throw tooLarge(limit, file.size);
    const name = form.name ?? file.name;
    if (hasControlCharacters(name)) {
      const fields = [{ path: "file", message: "the file name must not contain control characters", code: "custom" }];
      throw new ApiError("VALIDATION_ERROR", "Request validation failed", { details: { source: "form", fields } });
    }
    return {
      name,
      declaredType: file.type || undefined,
      bytes: new Uint8Array(await file.arrayBuffer()),
      tags: form.tags,
      replace: form.replace,
    };
  }
  if ("content" in json) {
    const bytes =
      json.content_encoding === "base64" ? decodeBase64(json.content, limit) : new TextEncoder().encode(json.content);
    if (bytes.length > limit) throw tooLarge(limit, bytes.length);
    return { name: json.name, declaredType: json.content_type, bytes, tags: json.tags, replace: json.replace };
  }
  throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the document as multipart/form-data (field `file`) or as JSON", {
    details: { accepted: ["application/json", "multipart/form-data"] },
  });
}

async function uploadOne(
  c: Context<HonoEnv>,
  kb: KnowledgeBaseRow,
  p: AuthenticatedPrincipal,
  input: UploadInput,
): Promise<UploadResult> {
  const [outcome] = await ingestUploads(c, kb, p, [input]);
  if (!outcome) throw new Error("an upload answered no outcome");
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}

/** 200 when nothing was queued, 202 when the document waits for ingestion; the header says which. */
function answer(c: Context<HonoEnv>, result: UploadResult) {
  c.header("X-Upload-Result", result.action);
  return result.action === "unchanged" ? c.json(result, 200) : c.json(result, 202);
}

export function registerDocumentRoutes(app: Router) {
  setRouteBodyLimit("POST /api/knowledge-bases/:id/documents", uploadBodyLimit);
  setRouteBodyLimit("PUT /api/knowledge-bases/:id/documents/:docId", uploadBodyLimit);

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/knowledge-bases/{id}/documents",
      tags,
      security,
      summary: "List a knowledge base's documents with their ingestion status",
      request: { params: KbIdParam, query: DocumentListQuery },
      responses: { 200: jsonResponse(DocumentPage, "A page of documents"), ...commonErrors },
    }),
    async (c) => {
      const { p, db, row: kb } = await knowledgeBaseOf(c, c.req.valid("param").id);
      return c.json(await listDocuments(db, p.workspaceId, kb.id, c.req.valid("query")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/knowledge-bases/{id}/documents",
      tags,
      security,
      summary:
        "Upload a document (text, Markdown, HTML, JSON or PDF); an existing document with the same name is replaced, or left as it is when its content is the same",
      request: { params: KbIdParam, body: uploadBody },
      responses: {
        200: jsonResponse(UploadResult, "Same name and content as stored: nothing queued (X-Upload-Result: unchanged)"),
        202: jsonResponse(UploadResult, "Stored and queued for ingestion"),
        ...uploadErrors,
      },
    }),
    async (c) => {
      const { p, row: kb } = await managedKnowledgeBase(c, c.req.valid("param").id);
      const input = await readUpload(c, c.req.valid("json"), c.req.valid("form"));
      return answer(c, await uploadOne(c, kb, p, input));
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/knowledge-bases/{id}/documents/{docId}",
      tags,
      security,
      summary: "Get a document: status, progress, error, chunk count (and its extracted text with include_text)",
      request: { params: DocIdParam, query: DocumentGetQuery },
      responses: { 200: jsonResponse(DocumentWithText, "The document"), ...commonErrors },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { id, docId } = c.req.valid("param");
      const row = await findDocument(c.var.services.db, p.workspaceId, id, docId);
      const body = toDocument(row);
      if (!c.req.valid("query").include_text) return c.json(body, 200);
      return c.json({ ...body, text: await loadText(c.var.services.db, p.workspaceId, row.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/knowledge-bases/{id}/documents/{docId}",
      tags,
      security,
      summary: "Replace a document's content; its old chunks are replaced once the new ones are indexed",
      request: { params: DocIdParam, body: uploadBody },
      responses: {
        200: jsonResponse(UploadResult, "Same content as stored: nothing to do"),
        202: jsonResponse(UploadResult, "Stored and queued for ingestion"),
        ...uploadErrors,
      },
    }),
    async (c) => {
      const { id, docId } = c.req.valid("param");
      const { p, row: kb } = await managedKnowledgeBase(c, id);
      const input = await readUpload(c, c.req.valid("json"), c.req.valid("form"));
      return answer(c, await uploadOne(c, kb, p, { ...input, targetId: docId }));
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/knowledge-bases/{id}/documents/{docId}",
      tags,
      security,
      summary: "Delete a document with its chunks, full-text entries and vectors",
      request: { params: DocIdParam },
      responses: { 204: { description: "Deleted" }, ...commonErrors },
    }),
    async (c) => {
      const { id, docId } = c.req.valid("param");
      const { p } = await managedKnowledgeBase(c, id);
      const row = await findDocument(c.var.services.db, p.workspaceId, id, docId);
      const chunks = await purgeDocument(c.var.services, row);
      await audit(c, {
        action: "document.delete",
        targetType: "document",
        targetId: row.id,
        detail: { knowledge_base_id: id, name: row.name, chunks },
      });
      return c.body(null, 204);
    },
  );
}
