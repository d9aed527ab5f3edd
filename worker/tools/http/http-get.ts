// http_get: a side-effecting tool (it reaches the outside world), so every call waits for a
// person's approval. Bounded in every direction: allowlisted https hosts only (url-guard.ts),
// at most MAX_REDIRECTS hops each re-checked, MAX_BYTES read, and a time limit per attempt
// through resilientCall (with a circuit breaker per host).
import { z } from "zod";
import { resilientCall, UpstreamError } from "../../core/resilience";
import { defineTool, ToolError } from "../types";
import { checkUrl } from "./url-guard";

export const MAX_BYTES = 256 * 1024;
const MAX_REDIRECTS = 3;
const TIMEOUT_MS = 10_000;
const TEXTUAL = /^(text\/|application\/(json|xml|xhtml\+xml|rss\+xml|atom\+xml|ld\+json|javascript))/i;

async function readCapped(
  body: ReadableStream<Uint8Array> | null,
): Promise<{ text: string; truncated: boolean; bytes: number }> {
  if (!body) return { text: "", truncated: false, bytes: 0 };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), truncated: false, bytes };
      const room = MAX_BYTES - bytes;
      if (value.byteLength > room) {
        text += decoder.decode(value.subarray(0, room));
        return { text, truncated: true, bytes: MAX_BYTES };
      }
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export const httpGetTool = defineTool({
  name: "http_get",
  description: "Fetches a web page or JSON document over https from an allowlisted host (needs a person's approval).",
  parameters: z.object({ url: z.string().min(1).max(2048).describe("An https:// URL on an allowlisted host") }),
  sideEffects: true,
  untrustedOutput: true,
  precheck({ url }, config) {
    checkUrl(url, config.HTTP_TOOL_ALLOWLIST);
  },
  async run({ url }, ctx) {
    let target = checkUrl(url, ctx.config.HTTP_TOOL_ALLOWLIST);
    const result = await resilientCall(
      `tool:http_get:${target.hostname}`,
      async (signal) => {
        for (let hop = 0; ; hop++) {
          const res = await ctx.fetch(target.toString(), {
            method: "GET",
            redirect: "manual",
            signal,
            headers: { Accept: "text/*, application/json;q=0.9, */*;q=0.1", "User-Agent": "liquid-hive-http-tool/1.0" },
          });
          if (res.status >= 300 && res.status < 400 && res.headers.get("Location")) {
            await res.body?.cancel();
            if (hop >= MAX_REDIRECTS) throw new ToolError(`More than ${MAX_REDIRECTS} redirects`, "failed");
            target = checkUrl(
              new URL(res.headers.get("Location") as string, target).toString(),
              ctx.config.HTTP_TOOL_ALLOWLIST,
            );
            continue;
          }
          if (res.status >= 500 || res.status === 429) {
            await res.body?.cancel();
            throw new UpstreamError(target.hostname, res.status, `${target.hostname} answered HTTP ${res.status}`);
          }
          const type = res.headers.get("Content-Type") ?? "";
          if (type && !TEXTUAL.test(type)) {
            await res.body?.cancel();
            throw new ToolError(`Refusing non-text content (${type.split(";")[0]})`, "failed");
          }
          const body = await readCapped(res.body);
          return { status: res.status, type, url: target.toString(), ...body };
        }
      },
      { timeoutMs: TIMEOUT_MS, maxAttempts: 2, signal: ctx.signal },
    ).catch((err: unknown) => {
      if (err instanceof ToolError) throw err;
      throw new ToolError(
        `Fetching ${target.hostname} failed: ${err instanceof Error ? err.message : String(err)}`,
        "failed",
      );
    });
    const note = result.truncated ? `\n[truncated at ${MAX_BYTES} bytes]` : "";
    return {
      content: `HTTP ${result.status} ${result.url}\n\n${result.text}${note}`,
      meta: {
        status: result.status,
        url: result.url,
        content_type: result.type,
        bytes: result.bytes,
        truncated: result.truncated,
      },
    };
  },
});
