// How far one upload may be turned into text. Extraction runs inside the upload request, so a
// small file that unpacks into thousands of pages or megabytes of text (a compressed PDF, deeply
// keyed JSON) must stop early and be refused with 422 rather than hold the isolate.
import type { Config } from "../../core/config";
import { ApiError } from "../../core/errors";

export interface ExtractLimits {
  maxPdfPages: number;
  maxChars: number;
  /** Wall time a PDF may take, checked between pages. */
  timeBudgetMs: number;
}

export const extractLimits = (config: Config): ExtractLimits => ({
  maxPdfPages: config.KNOWLEDGE_PDF_MAX_PAGES,
  maxChars: config.KNOWLEDGE_MAX_EXTRACTED_CHARS,
  timeBudgetMs: config.KNOWLEDGE_EXTRACT_TIME_BUDGET_MS,
});

const LIMITS = {
  pages: { key: "KNOWLEDGE_PDF_MAX_PAGES", what: (max: number) => `more than ${max} pages` },
  characters: { key: "KNOWLEDGE_MAX_EXTRACTED_CHARS", what: (max: number) => `more than ${max} characters of text` },
  time: { key: "KNOWLEDGE_EXTRACT_TIME_BUDGET_MS", what: (max: number) => `more than ${max} ms to read` },
} as const;

/** 422 naming the limit hit, its configured value and how far extraction got. */
export function limitExceeded(limit: keyof typeof LIMITS, max: number, observed: Record<string, number>): ApiError {
  const { key, what } = LIMITS[limit];
  return new ApiError("UNPROCESSABLE", `The document takes ${what(max)}; it was not stored`, {
    details: { limit, config_key: key, max, ...observed },
  });
}
