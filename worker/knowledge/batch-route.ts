// POST /api/knowledge-bases/:id/documents/batch: a folder's worth of files in one request, each
// with its own result (created, unchanged, replaced, refused with a reason) in the order sent.
// A bad file is refused alone; the request is charged to the workspace's ingest windows as a
// whole (worker/ratelimit/middleware.ts admitIngest), so it is taken whole or refused with 429.
// Multipart for scripts; JSON (base64 content) for the dashboard, whose cookie requests must be JSON.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Config } from "../core/config";
import type { HonoEnv } from "../core/env";
import { ApiError } from "../core/errors";
import { setRouteBodyLimit } from "../core/middleware";
import { commonErrors, ErrorSchema, jsonResponse, type Router, SIGNED_IN_SECURITY } from "../core/openapi";
import {
  BatchUploadRequest,
  type BatchUploadResponse,
  BatchUploadResponse as BatchUploadResponseSchema,
  type JsonBatch,
  type MultipartBatch,
  MultipartBatchUploadRequest,
} from "./batch-schemas";
import { decodeBase64 } from "./document-routes";
import { managedKnowledgeBase } from "./kb-access";
import { KbIdParam, type UploadResult } from "./schemas";
import { ingestUploads, type UploadInput } from "./upload";

/** Room for base64 (4 bytes per 3) plus JSON or multipart framing around the largest batch. */
const batchBodyLimit = (config: Config) => Math.ceil((config.KNOWLEDGE_BATCH_MAX_BYTES * 4) / 3) + 256 * 1024;

/** The batch in either encoding; the route's validators have already checked whichever was sent. */
type Parsed = JsonBatch | MultipartBatch | Record<string, never>;
type Item = { name: string; input: UploadInput | ApiError };

const STATUS_OF = {
  created: "created",
  replaced: "replaced",
  // Same content with new tags (or asked to): the old chunks are replaced all the same.
  reprocessed: "replaced",
  unchanged: "unchanged",
} as const satisfies Record<UploadResult["action"], string>;

function tooMuch(what: string, limit: number, sent: number, key: string): ApiError {
  return new ApiError("PAYLOAD_TOO_LARGE", `A batch may carry at most ${limit} ${what}; this one has ${sent}`, {
    details: { limit, sent, setting: key },
  });
}

function checkTotals(config: Config, files: number, bytes: number): void {
  if (files > config.KNOWLEDGE_BATCH_MAX_FILES) {
    throw tooMuch("files", config.KNOWLEDGE_BATCH_MAX_FILES, files, "KNOWLEDGE_BATCH_MAX_FILES");
  }
  if (bytes > config.KNOWLEDGE_BATCH_MAX_BYTES) {
    throw tooMuch("bytes", config.KNOWLEDGE_BATCH_MAX_BYTES, bytes, "KNOWLEDGE_BATCH_MAX_BYTES");
  }
}

async function readBatch(c: Context<HonoEnv>, json: Parsed, form: Parsed): Promise<Item[]> {
  const config = c.var.config;
  const limit = config.KNOWLEDGE_MAX_UPLOAD_BYTES;
  if ("file" in form && form.file) {
    checkTotals(
      config,
      form.file.length,
      form.file.reduce((n, f) => n + f.size, 0),
    );
    return Promise.all(
      form.file.map(async (file) => ({
        name: file.name,
        input: {
          name: file.name,
          declaredType: file.type || undefined,
          bytes: new Uint8Array(await file.arrayBuffer()),
          tags: form.tags,
          replace: false,
        },
      })),
    );
  }
  if ("files" in json && json.files) {
    const sizeOf = (f: JsonBatch["files"][number]) =>
      f.content_encoding === "base64" ? Math.floor((f.content.length * 3) / 4) : f.content.length;
    checkTotals(
      config,
      json.files.length,
      json.files.reduce((n, f) => n + sizeOf(f), 0),
    );
    return json.files.map((f) => {
      const tags = f.tags;
      try {
        const bytes =
          f.content_encoding === "base64" ? decodeBase64(f.content, limit) : new TextEncoder().encode(f.content);
        return { name: f.name, input: { name: f.name, declaredType: f.content_type, bytes, tags, replace: false } };
      } catch (err) {
        if (err instanceof ApiError) return { name: f.name, input: err };
        throw err;
      }
    });
  }
  throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the files as multipart/form-data (`file` parts) or as JSON", {
    details: { accepted: ["application/json", "multipart/form-data"] },
  });
}

export function registerBatchRoute(app: Router) {
  setRouteBodyLimit("POST /api/knowledge-bases/:id/documents/batch", batchBodyLimit);

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/knowledge-bases/{id}/documents/batch",
      tags: ["knowledge"],
      security: SIGNED_IN_SECURITY,
      summary:
        "Upload many documents at once; each file gets its own result (created, unchanged, replaced or refused) in the order sent",
      request: {
        params: KbIdParam,
        body: {
          content: {
            "application/json": { schema: BatchUploadRequest },
            "multipart/form-data": { schema: MultipartBatchUploadRequest },
          },
          required: false,
          description: "Multipart with one `file` part per document (and optional `tags`), or JSON `{ files: [...] }`",
        },
      },
      responses: {
        200: jsonResponse(BatchUploadResponseSchema, "One result per file, in the order sent"),
        413: jsonResponse(
          ErrorSchema,
          "More files or bytes than KNOWLEDGE_BATCH_MAX_FILES / KNOWLEDGE_BATCH_MAX_BYTES, or than one ingest window holds",
        ),
        415: jsonResponse(ErrorSchema, "Neither multipart nor JSON"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { p, row: kb } = await managedKnowledgeBase(c, c.req.valid("param").id);
      const items = await readBatch(c, c.req.valid("json"), c.req.valid("form"));
      const outcomes = await ingestUploads(
        c,
        kb,
        p,
        items.map((i) => i.input),
      );
      const body: BatchUploadResponse = {
        results: [],
        summary: { created: 0, unchanged: 0, replaced: 0, refused: 0 },
      };
      outcomes.forEach((o, index) => {
        const name = items[index]?.name ?? "";
        if (o.ok) {
          const { action, ...document } = o.result;
          const status = STATUS_OF[action];
          body.results.push({ index, name, status, document });
          body.summary[status]++;
        } else {
          body.results.push({
            index,
            name,
            status: "refused",
            error: { code: o.error.code, message: o.error.message },
          });
          body.summary.refused++;
        }
      });
      return c.json(body, 200);
    },
  );
}
