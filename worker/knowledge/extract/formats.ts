// The document formats an upload may declare, and how a declaration is read: MIME parameters
// dropped, common aliases folded, and a generic type (application/octet-stream, or none) resolved
// from the file name's extension.
import { DOCUMENT_TYPES, type DocumentType } from "@hive/shared/api-types/knowledge";
import { ApiError } from "../../core/errors";

export type { DocumentType };

const ALIASES: Readonly<Record<string, DocumentType>> = {
  "text/x-markdown": "text/markdown",
  "text/md": "text/markdown",
  "application/xhtml+xml": "text/html",
  "text/json": "application/json",
  "application/x-pdf": "application/pdf",
};

const EXTENSIONS: Readonly<Record<string, DocumentType>> = {
  txt: "text/plain",
  text: "text/plain",
  log: "text/plain",
  csv: "text/plain",
  md: "text/markdown",
  markdown: "text/markdown",
  html: "text/html",
  htm: "text/html",
  xhtml: "text/html",
  json: "application/json",
  pdf: "application/pdf",
};

const GENERIC = new Set(["", "application/octet-stream", "binary/octet-stream"]);

const isDocumentType = (t: string): t is DocumentType => (DOCUMENT_TYPES as readonly string[]).includes(t);

/** The canonical type of an upload, or 415 when it is not one we can index. */
export function resolveType(declared: string | undefined, name: string): DocumentType {
  const mime = (declared ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (GENERIC.has(mime)) {
    const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? "";
    const byExtension = EXTENSIONS[ext];
    if (byExtension) return byExtension;
  } else {
    const canonical = ALIASES[mime] ?? mime;
    if (isDocumentType(canonical)) return canonical;
  }
  throw new ApiError(
    "UNSUPPORTED_MEDIA_TYPE",
    `Unsupported document type${mime ? ` ${mime}` : ""}; upload one of ${DOCUMENT_TYPES.join(", ")}`,
    {
      details: { content_type: mime || null, supported: DOCUMENT_TYPES },
    },
  );
}
