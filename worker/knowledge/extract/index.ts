// Upload bytes to clean document text: check the bytes against the declared type, extract the
// text by format within the configured limits, normalise it. Runs in the upload request so a bad
// or oversized file is refused before anything is stored; the queue consumer only ever sees text
// that parsed.
import { ApiError } from "../../core/errors";
import { cleanText } from "./clean";
import type { DocumentType } from "./formats";
import { htmlToText } from "./html";
import { jsonToText } from "./json";
import { type ExtractLimits, limitExceeded } from "./limits";
import { pdfToText } from "./pdf";
import { decodeText, detectBinary, isPdf, mismatch } from "./sniff";

export { type DocumentType, resolveType } from "./formats";
export { extractLimits } from "./limits";

async function raw(bytes: Uint8Array, type: DocumentType, limits: ExtractLimits): Promise<string> {
  switch (type) {
    case "application/pdf":
      if (!isPdf(bytes)) throw mismatch(type, "The content is not a PDF (no %PDF- header)", detectBinary(bytes));
      return pdfToText(bytes, limits);
    case "application/json": {
      const text = decodeText(bytes, type);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw mismatch(type, `The content is not valid JSON: ${err instanceof Error ? err.message : "parse error"}`);
      }
      return jsonToText(parsed, limits.maxChars);
    }
    case "text/html":
      return htmlToText(decodeText(bytes, type));
    default:
      return decodeText(bytes, type);
  }
}

export async function extractText(bytes: Uint8Array, type: DocumentType, limits: ExtractLimits): Promise<string> {
  if (bytes.length === 0) throw new ApiError("UNPROCESSABLE", "The document is empty", { details: { size_bytes: 0 } });
  const extracted = await raw(bytes, type, limits);
  // PDFs and JSON stop as soon as they pass the limit; the other formats are measured after one pass.
  if (extracted.length > limits.maxChars)
    throw limitExceeded("characters", limits.maxChars, { characters_read: extracted.length });
  const text = cleanText(extracted);
  if (text.trim().length === 0) {
    throw new ApiError("UNPROCESSABLE", "The document contains no text to index", { details: { content_type: type } });
  }
  return text;
}
