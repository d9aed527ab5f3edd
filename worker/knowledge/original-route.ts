// GET /api/knowledge-bases/:id/documents/:docId/original: the file as it was uploaded, for anyone
// who may read the document. Always an attachment with the stored type and nosniff, and a sandbox
// policy on top, so an uploaded HTML page can never run as this origin's page.
import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../core/errors";
import { commonErrors, type Router, SIGNED_IN_SECURITY } from "../core/openapi";
import { signedIn } from "../core/signed-in";
import { findDocument } from "./document-store";
import { attachmentDisposition, hasOriginal, readOriginal } from "./originals";
import { DocIdParam } from "./schemas";

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch !== undefined && (ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((t) => t.trim() === etag));

export function registerOriginalRoute(app: Router) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/knowledge-bases/{id}/documents/{docId}/original",
      tags: ["knowledge"],
      security: SIGNED_IN_SECURITY,
      summary: "Download a document's original file as uploaded (ETag: its SHA-256)",
      request: { params: DocIdParam },
      responses: {
        200: {
          description: "The original bytes, as an attachment with the document's content type",
          content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
        },
        304: { description: "Unchanged since the ETag given in If-None-Match" },
        ...commonErrors,
      },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { id, docId } = c.req.valid("param");
      const doc = await findDocument(c.var.services.db, p.workspaceId, id, docId);
      const etag = `"${doc.contentHash}"`;
      const common = { ETag: etag, "Cache-Control": "private, no-cache", "X-Content-Type-Options": "nosniff" };
      const original = { workspaceId: p.workspaceId, kbId: id, docId, hash: doc.contentHash };
      const bucket = c.var.services.originals;
      const missing = () =>
        new ApiError("NOT_FOUND", "This document has no stored original (it was added before originals were kept)", {
          details: { document_id: doc.id },
        });
      if (matches(c.req.header("If-None-Match"), etag)) {
        if (!(await hasOriginal(bucket, original))) throw missing();
        return c.body(null, 304, common);
      }
      const object = await readOriginal(bucket, original);
      if (!object) throw missing();
      return c.body(object.body, 200, {
        ...common,
        "Content-Type": object.httpMetadata?.contentType ?? doc.contentType,
        "Content-Length": String(object.size),
        "Content-Disposition": attachmentDisposition(doc.name),
        "Content-Security-Policy": "default-src 'none'; sandbox",
      });
    },
  );
}
