// How the knowledge feature reaches the web: the http_get tool's guard and fetch loop
// (worker/outbound) with knowledge's own size cap and a user agent of its own, and one mapping
// from a refusal or failure to the per-URL error clients see.
import type { Config } from "../core/config";
import { type FetchedPage, guardedFetch } from "../outbound/fetch";
import { OutboundRefused } from "../outbound/url-guard";
import type { FetchRefusal } from "./url-schemas";

const TIMEOUT_MS = 10_000;
const SITEMAP_MAX_BYTES = 5 * 1024 * 1024;

export function fetchPage(
  url: string,
  config: Config,
  opts: { maxBytes: number; headers?: Record<string, string> },
): Promise<FetchedPage> {
  return guardedFetch(url, {
    allowlist: config.HTTP_TOOL_ALLOWLIST,
    // Looked up at call time, so tests that stub the global fetch see every request.
    fetch: (input, init) => fetch(input, init),
    maxBytes: opts.maxBytes,
    timeoutMs: TIMEOUT_MS,
    caller: "knowledge:fetch",
    headers: {
      Accept: "text/html, text/*;q=0.9, application/json;q=0.8",
      "User-Agent": "liquid-hive-knowledge/1.0",
      ...opts.headers,
    },
  });
}

/** A sitemap's XML, or an error saying why it cannot be read. */
export async function readSitemap(url: string, config: Config): Promise<string> {
  const page = await fetchPage(url, config, { maxBytes: SITEMAP_MAX_BYTES });
  if (page.status !== 200) throw new OutboundRefused(`The sitemap answered HTTP ${page.status}`, "failed");
  if (page.truncated) throw new OutboundRefused(`The sitemap is larger than ${SITEMAP_MAX_BYTES} bytes`, "failed");
  return new TextDecoder().decode(page.bytes);
}

const CODES = { invalid_arguments: "INVALID_URL", not_allowed: "URL_NOT_ALLOWED", failed: "FETCH_FAILED" } as const;

export function refusal(url: string, err: unknown): FetchRefusal {
  if (err instanceof OutboundRefused) return { url, error: { code: CODES[err.code], message: err.message } };
  return { url, error: { code: "FETCH_FAILED", message: err instanceof Error ? err.message : String(err) } };
}
