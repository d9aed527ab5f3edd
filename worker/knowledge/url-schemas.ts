// Request and response shapes for web pages as a knowledge source: a list of URLs or one sitemap
// in, and per URL either the document queued to fetch it or why it was refused.
import type * as api from "@hive/shared/api-types/knowledge";
import { MAX_FETCH_URLS } from "@hive/shared/api-types/knowledge";
import { z } from "@hono/zod-openapi";
import type { Expect, Same } from "../core/same-type";
import { Tags } from "./schemas";

const Url = z.string().min(1).max(2048);

export const FetchDocumentsRequest = z
  .union([
    z.object({ urls: z.array(Url).min(1).max(MAX_FETCH_URLS), tags: Tags.optional() }).strict(),
    z.object({ sitemap: Url, tags: Tags.optional() }).strict(),
  ])
  .openapi("FetchDocumentsRequest", {
    description: `Up to ${MAX_FETCH_URLS} https URLs, or one sitemap (a sitemap index is followed one level)`,
  });
export type FetchDocumentsRequest = z.input<typeof FetchDocumentsRequest>;

const Refusal = z.object({ url: z.string(), error: z.object({ code: z.string(), message: z.string() }) });

export const FetchDocumentsResponse = z
  .object({
    queued: z.array(z.object({ url: z.string(), document_id: z.string() })),
    refused: z.array(Refusal),
  })
  .openapi("FetchDocumentsResponse");
export type FetchDocumentsResponse = z.infer<typeof FetchDocumentsResponse>;
export type FetchRefusal = z.infer<typeof Refusal>;

type _Checks = [
  Expect<Same<FetchDocumentsRequest, api.FetchDocumentsRequest>>,
  Expect<Same<FetchDocumentsResponse, api.FetchDocumentsResponse>>,
  Expect<Same<FetchRefusal, api.FetchRefusal>>,
];
