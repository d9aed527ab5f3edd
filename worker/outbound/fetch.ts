// The one fetch loop for pages fetched on a user's behalf (the http_get tool, knowledge-base URL
// sources): every hop through checkUrl, redirects followed by hand up to MAX_REDIRECTS, only
// textual content, at most `maxBytes` read, and each attempt bounded in time through
// resilientCall (with a circuit breaker per host). A 304 is returned as is for conditional
// re-fetches; 429 and 5xx are retried as upstream failures.
import { resilientCall, UpstreamError } from "../core/resilience";
import { traceHeaders } from "../core/trace/traceparent";
import { checkUrl, OutboundRefused } from "./url-guard";

const MAX_REDIRECTS = 3;
const TEXTUAL = /^(text\/|application\/(json|xml|xhtml\+xml|rss\+xml|atom\+xml|ld\+json|javascript))/i;

export interface GuardedFetchOptions {
  allowlist: readonly string[];
  fetch: typeof globalThis.fetch;
  maxBytes: number;
  timeoutMs: number;
  /** Names the circuit breaker: `${caller}:${host}`. */
  caller: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface FetchedPage {
  status: number;
  /** The final URL, after redirects. */
  url: string;
  type: string;
  headers: Headers;
  bytes: Uint8Array;
  /** The body went on past maxBytes; `bytes` holds the first maxBytes. */
  truncated: boolean;
}

async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!body) return { bytes: new Uint8Array(), truncated: false };
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - size;
      if (value.byteLength > room) {
        parts.push(value.subarray(0, room));
        size += room;
        truncated = true;
        break;
      }
      parts.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return { bytes, truncated };
}

/** Fetches `input` under the guard; throws OutboundRefused (policy or content) or an upstream/timeout error. */
export async function guardedFetch(input: string, opts: GuardedFetchOptions): Promise<FetchedPage> {
  let target = checkUrl(input, opts.allowlist);
  return resilientCall(
    `${opts.caller}:${target.hostname}`,
    async (signal) => {
      for (let hop = 0; ; hop++) {
        const res = await opts.fetch(target.toString(), {
          method: "GET",
          redirect: "manual",
          signal,
          headers: { ...opts.headers, ...traceHeaders() },
        });
        if (res.status >= 300 && res.status < 400 && res.status !== 304 && res.headers.get("Location")) {
          await res.body?.cancel();
          if (hop >= MAX_REDIRECTS) throw new OutboundRefused(`More than ${MAX_REDIRECTS} redirects`, "failed");
          target = checkUrl(new URL(res.headers.get("Location") as string, target).toString(), opts.allowlist);
          continue;
        }
        if (res.status >= 500 || res.status === 429) {
          await res.body?.cancel();
          throw new UpstreamError(target.hostname, res.status, `${target.hostname} answered HTTP ${res.status}`);
        }
        const type = res.headers.get("Content-Type") ?? "";
        if (type && !TEXTUAL.test(type)) {
          await res.body?.cancel();
          throw new OutboundRefused(`Refusing non-text content (${type.split(";")[0]})`, "failed");
        }
        const body = await readCapped(res.body, opts.maxBytes);
        return { status: res.status, url: target.toString(), type, headers: res.headers, ...body };
      }
    },
    { timeoutMs: opts.timeoutMs, maxAttempts: 2, ...(opts.signal ? { signal: opts.signal } : {}) },
  );
}
