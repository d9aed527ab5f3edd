// http_get: a side-effecting tool (it reaches the outside world), so every call waits for a
// person's approval. Bounded in every direction by guardedFetch (worker/outbound): allowlisted
// https hosts only, every redirect re-checked, MAX_BYTES read, a time limit per attempt.
import { z } from "zod";
import { guardedFetch } from "../../outbound/fetch";
import { checkUrl, OutboundRefused } from "../../outbound/url-guard";
import { defineTool, ToolError } from "../types";

export const MAX_BYTES = 256 * 1024;
const TIMEOUT_MS = 10_000;

const asToolError = (err: unknown) => (err instanceof OutboundRefused ? new ToolError(err.message, err.code) : err);

export const httpGetTool = defineTool({
  name: "http_get",
  description: "Fetches a web page or JSON document over https from an allowlisted host (needs a person's approval).",
  parameters: z.object({ url: z.string().min(1).max(2048).describe("An https:// URL on an allowlisted host") }),
  sideEffects: true,
  untrustedOutput: true,
  precheck({ url }, config) {
    try {
      checkUrl(url, config.HTTP_TOOL_ALLOWLIST);
    } catch (err) {
      throw asToolError(err);
    }
  },
  async run({ url }, ctx) {
    const result = await guardedFetch(url, {
      allowlist: ctx.config.HTTP_TOOL_ALLOWLIST,
      fetch: ctx.fetch,
      maxBytes: MAX_BYTES,
      timeoutMs: TIMEOUT_MS,
      caller: "tool:http_get",
      headers: { Accept: "text/*, application/json;q=0.9, */*;q=0.1", "User-Agent": "liquid-hive-http-tool/1.0" },
      signal: ctx.signal,
    }).catch((err: unknown) => {
      if (err instanceof OutboundRefused) throw asToolError(err);
      const host = new URL(url).hostname;
      throw new ToolError(`Fetching ${host} failed: ${err instanceof Error ? err.message : String(err)}`, "failed");
    });
    const text = new TextDecoder().decode(result.bytes);
    const note = result.truncated ? `\n[truncated at ${MAX_BYTES} bytes]` : "";
    return {
      content: `HTTP ${result.status} ${result.url}\n\n${text}${note}`,
      meta: {
        status: result.status,
        url: result.url,
        content_type: result.type,
        bytes: result.bytes.byteLength,
        truncated: result.truncated,
      },
    };
  },
});
