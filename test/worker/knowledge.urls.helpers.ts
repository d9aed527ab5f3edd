// A local stand-in for the web for the URL-source tests: pages served by a stubbed global fetch
// (the Worker's outbound fetches run in the test isolate), every request recorded with its
// headers, plus the fetch route and the fetch_document handler run as the queue consumer runs it.
import { env } from "cloudflare:test";
import { vi } from "vitest";
import { fetchDocument } from "../../worker/knowledge/url-fetch";
import type { FetchDocumentsResponse } from "../../worker/knowledge/url-schemas";
import { type ApiResult, api } from "./helpers/harness";
import type { Caller } from "./knowledge.helpers";

type Page = (req: Request) => Response | Promise<Response>;

export const site = new Map<string, Page>();
export const requests: { url: string; headers: Headers }[] = [];

export const html =
  (title: string, body: string, headers: Record<string, string> = {}) =>
  () =>
    new Response(`<html><head><title>${title}</title></head><body><p>${body}</p></body></html>`, {
      headers: { "Content-Type": "text/html; charset=utf-8", ...headers },
    });

/** Serves `site` for every https request; installed once per file so late queue deliveries see it too. */
export function serveSite(): void {
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    if (!req.url.startsWith("https://")) return real(input, init);
    requests.push({ url: req.url, headers: req.headers });
    const page = site.get(req.url);
    return page ? page(req) : new Response("not found", { status: 404, headers: { "Content-Type": "text/plain" } });
  });
}

export function fetchUrls(
  caller: Caller,
  kbId: string,
  body: Record<string, unknown>,
): Promise<ApiResult<FetchDocumentsResponse>> {
  return api<FetchDocumentsResponse>("POST", `/api/knowledge-bases/${kbId}/documents/fetch`, {
    token: caller.token,
    body,
  });
}

/** Runs the fetch_document handler for a document exactly as the queue consumer would. */
export async function runFetch(caller: Caller, documentId: string, refetch = false, attempt = 1): Promise<void> {
  await fetchDocument(
    { type: "fetch_document", v: 1, workspaceId: caller.workspaceId, documentId, requestId: "req_test_fetch", refetch },
    env,
    attempt,
  );
}
