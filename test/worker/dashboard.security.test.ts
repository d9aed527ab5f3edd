// Every dashboard document carries the same strict headers: `/` and `/index.html` from the
// static-assets layer (web/public/_headers, which Pages applies too), client routes from the
// Worker's dashboard fallback. Apart from the CSP they equal the Worker's own secure headers,
// so the two lists cannot drift apart. (SELF.fetch skips the assets layer: env.ASSETS serves it.)
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import headersFile from "../../web/public/_headers?raw";

/** The security headers the Worker sets on every API answer (worker/core/middleware.ts). */
const SECURITY = [
  "content-security-policy",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "origin-agent-cluster",
  "referrer-policy",
  "strict-transport-security",
  "x-content-type-options",
  "x-dns-prefetch-control",
  "x-download-options",
  "x-frame-options",
  "x-permitted-cross-domain-policies",
  "x-xss-protection",
];

const pick = (res: Response, names = SECURITY) => Object.fromEntries(names.map((n) => [n, res.headers.get(n)]));
const asset = (path: string) => env.ASSETS.fetch(`http://localhost${path}`, { redirect: "manual" });
const navigate = (path: string) =>
  SELF.fetch(`http://localhost${path}`, { headers: { Accept: "text/html,application/xhtml+xml" } });

describe("dashboard documents' headers", () => {
  it("/ carries a strict CSP that forbids framing, inline code and plugins", async () => {
    const res = await asset("/");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root"></div>');
    const csp = res.headers.get("content-security-policy") ?? "";
    const directives = Object.fromEntries(
      csp
        .split(";")
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values.join(" ")]),
    );
    expect(directives).toMatchObject({
      "default-src": "'self'",
      "object-src": "'none'",
      "base-uri": "'none'",
      "form-action": "'self'",
      "frame-ancestors": "'none'",
    });
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|data:/);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("/index.html, client routes and / carry the same headers", async () => {
    const root = pick(await asset("/"));
    expect(root["content-security-policy"]).toBeTruthy();
    // /index.html redirects to / (html_handling), with the same headers on the redirect itself.
    const index = await asset("/index.html");
    expect([200, 307, 308]).toContain(index.status);
    expect(pick(index)).toEqual(root);
    for (const path of ["/agents", "/status", "/knowledge/kb_1/search", "/login"]) {
      const res = await navigate(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toContain("text/html");
      expect(pick(res), path).toEqual(root);
    }
  });

  it("apart from the CSP, equal the Worker's secure headers on API answers", async () => {
    const api = await SELF.fetch("http://localhost/health");
    const others = SECURITY.filter((n) => n !== "content-security-policy");
    expect(pick(await asset("/"), others)).toEqual(pick(api, others));
    for (const name of others) expect(api.headers.get(name), name).toBeTruthy();
    // The API's own policy is stricter still: it runs nothing.
    expect(api.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("web/public/_headers sets exactly these headers, for every path, and is not served itself", async () => {
    const rules = headersFile.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    expect(rules[0]).toBe("/*");
    expect(
      rules
        .slice(1)
        .map((l) => l.trim().split(":")[0]?.toLowerCase())
        .sort(),
    ).toEqual([...SECURITY].sort());
    const served = await asset("/_headers");
    expect(await served.text()).not.toContain("Content-Security-Policy");
  });
});
