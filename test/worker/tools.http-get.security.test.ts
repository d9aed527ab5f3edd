// http_get reaches only allowlisted https hosts: no other schemes, ports, credentials, IP
// literals (in any spelling) or internal names, redirects re-checked at every hop, bodies cut
// at 256 KB, and each attempt bounded in time.
import { describe, expect, it } from "vitest";
import { checkUrl, hostAllowed, OutboundRefused } from "../../worker/outbound/url-guard";
import { httpGetTool, MAX_BYTES } from "../../worker/tools/http/http-get";
import { ToolError } from "../../worker/tools/types";
import { toolContext } from "./helpers/tool-context";

const ALLOW = ["docs.example.com", "*.api.example.org"];

describe("url guard", () => {
  it.each([
    "https://docs.example.com/guide?q=1",
    "https://DOCS.example.com./x",
    "https://v1.api.example.org/items",
    "https://deep.v1.api.example.org/",
    "https://docs.example.com:443/",
  ])("allows %s", (url) => {
    expect(() => checkUrl(url, ALLOW)).not.toThrow();
  });

  it.each([
    ["http://docs.example.com/", /Only https/],
    ["ftp://docs.example.com/", /Only https/],
    ["file:///etc/passwd", /Only https/],
    ["javascript:alert(1)", /Only https/],
    ["https://user:pw@docs.example.com/", /credentials/],
    ["https://docs.example.com:8443/", /default https port/],
    ["https://api.example.org/", /not in the HTTP tool allowlist/],
    ["https://docs.example.com.evil.net/", /not in the HTTP tool allowlist/],
    ["https://evil.net/?https://docs.example.com", /not in the HTTP tool allowlist/],
    ["https://127.0.0.1/", /IP addresses/],
    ["https://2130706433/", /IP addresses/],
    ["https://0x7f.1/", /IP addresses/],
    ["https://[::1]/", /IP addresses/],
    ["https://[fe80::1]/", /IP addresses/],
    ["https://169.254.169.254/latest/meta-data", /IP addresses/],
    ["https://10.0.0.1/", /IP addresses/],
    ["https://localhost/", /internal name/],
    ["https://printer.local/", /internal name/],
    ["https://metadata/", /internal name/],
    ["not a url", /valid absolute URL/],
  ])("refuses %s", (url, why) => {
    expect(() => checkUrl(url, ALLOW)).toThrow(OutboundRefused);
    expect(() => checkUrl(url, ALLOW)).toThrow(why);
  });

  it("refuses IP literals and internal names even when the allowlist names them", () => {
    expect(() => checkUrl("https://127.0.0.1/", ["127.0.0.1"])).toThrow(/IP addresses/);
    expect(() => checkUrl("https://localhost/", ["localhost"])).toThrow(/internal name/);
  });

  it("is off when the allowlist is empty", () => {
    expect(() => checkUrl("https://docs.example.com/", [])).toThrow(/HTTP_TOOL_ALLOWLIST is empty/);
  });

  it("matches a wildcard against subdomains only", () => {
    expect(hostAllowed("a.api.example.org", ALLOW)).toBe(true);
    expect(hostAllowed("api.example.org", ALLOW)).toBe(false);
    expect(hostAllowed("xapi.example.org", ALLOW)).toBe(false);
  });
});

describe("http_get", () => {
  const ctx = (fetch: typeof globalThis.fetch) => toolContext({ fetch, config: { HTTP_TOOL_ALLOWLIST: ALLOW } });

  it("re-checks every redirect and refuses one that leaves the allowlist", async () => {
    const seen: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      seen.push(String(input));
      return new Response(null, { status: 302, headers: { Location: "http://169.254.169.254/latest/meta-data" } });
    };
    await expect(httpGetTool.run({ url: "https://docs.example.com/start" }, ctx(fetch))).rejects.toThrow(/Only https/);
    expect(seen).toEqual(["https://docs.example.com/start"]);
  });

  it("follows allowed redirects up to a limit", async () => {
    let hops = 0;
    const fetch: typeof globalThis.fetch = async () =>
      new Response(null, { status: 301, headers: { Location: `/hop${++hops}` } });
    await expect(httpGetTool.run({ url: "https://docs.example.com/" }, ctx(fetch))).rejects.toThrow(
      /More than 3 redirects/,
    );
    expect(hops).toBe(4);
  });

  it("cuts the body at 256 KB and says so", async () => {
    const big = "x".repeat(MAX_BYTES + 10_000);
    const fetch: typeof globalThis.fetch = async () => new Response(big, { headers: { "Content-Type": "text/plain" } });
    const out = await httpGetTool.run({ url: "https://docs.example.com/big" }, ctx(fetch));
    expect(out.meta).toMatchObject({ truncated: true, bytes: MAX_BYTES });
    expect(out.content).toContain(`[truncated at ${MAX_BYTES} bytes]`);
    expect(out.content.length).toBeLessThan(MAX_BYTES + 200);
  });

  it("refuses binary content", async () => {
    const fetch: typeof globalThis.fetch = async () =>
      new Response(new Uint8Array([0, 1, 2]), { headers: { "Content-Type": "application/octet-stream" } });
    await expect(httpGetTool.run({ url: "https://docs.example.com/bin" }, ctx(fetch))).rejects.toThrow(
      /non-text content/,
    );
  });

  it("gives up on a host that does not answer in time", async () => {
    const fetch: typeof globalThis.fetch = (_input, init) =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
      );
    const started = Date.now();
    const run = httpGetTool.run(
      { url: "https://docs.example.com/slow" },
      toolContext({ fetch, config: { HTTP_TOOL_ALLOWLIST: ALLOW }, signal: AbortSignal.timeout(300) }),
    );
    await expect(run).rejects.toBeInstanceOf(ToolError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("returns status, final URL and text for an allowed page", async () => {
    const fetch: typeof globalThis.fetch = async () =>
      new Response('{"ok":true}', { headers: { "Content-Type": "application/json" } });
    const out = await httpGetTool.run({ url: "https://v2.api.example.org/status#frag" }, ctx(fetch));
    expect(out.content).toBe('HTTP 200 https://v2.api.example.org/status\n\n{"ok":true}');
    expect(out.meta).toMatchObject({ status: 200, truncated: false, content_type: "application/json" });
  });
});
