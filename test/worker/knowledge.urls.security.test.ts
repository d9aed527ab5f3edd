// Web pages as a knowledge source go through the http_get tool's guard: refused URLs (other
// schemes, IP literals of private, loopback and link-local ranges, internal names, hosts off the
// allowlist) never become documents; a redirect to a private address or an oversized page marks
// the document failed with the reason; only the knowledge base's owner (or an admin) adds or
// re-fetches pages, and no tenant reaches another's documents.
import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../../worker/knowledge/schemas";
import { api, createTeam, type Team } from "./helpers/harness";
import { type Caller, createKb, getDocument, signedInUser } from "./knowledge.helpers";
import { fetchUrls, html, requests, runFetch, serveSite, site } from "./knowledge.urls.helpers";

let caller: Caller;
let other: Caller;
let kb: KnowledgeBase;

beforeAll(async () => {
  serveSite();
  [caller, other] = await Promise.all([signedInUser(), signedInUser()]);
  kb = await createKb(caller, { name: "Guarded" });
});

describe("refused URLs", () => {
  it("refuses each unsafe URL with its reason, queues the safe one, and creates no document for the refused", async () => {
    const refusedUrls = [
      ["http://docs.example.com/plain", "URL_NOT_ALLOWED", /Only https/],
      ["https://10.0.0.1/admin", "URL_NOT_ALLOWED", /IP addresses/],
      ["https://127.0.0.1/", "URL_NOT_ALLOWED", /IP addresses/],
      ["https://169.254.169.254/latest/meta-data", "URL_NOT_ALLOWED", /IP addresses/],
      ["https://[::1]/", "URL_NOT_ALLOWED", /IP addresses/],
      ["https://localhost/", "URL_NOT_ALLOWED", /internal name/],
      ["https://evil.example.net/", "URL_NOT_ALLOWED", /not in the HTTP tool allowlist/],
      ["file:///etc/passwd", "URL_NOT_ALLOWED", /Only https/],
      ["not a url", "INVALID_URL", /valid absolute URL/],
    ] as const;
    site.set("https://docs.example.com/fine", html("Fine", "An allowed page."));
    const before = requests.length;
    const res = await fetchUrls(caller, kb.id, {
      urls: [...refusedUrls.map(([u]) => u), "https://docs.example.com/fine", "https://docs.example.com/fine"],
    });
    expect(res.status).toBe(202);
    expect(res.body.queued.map((q) => q.url)).toEqual(["https://docs.example.com/fine"]);
    const refused = res.body.refused;
    expect(refused.map((r) => r.url)).toEqual([...refusedUrls.map(([u]) => u), "https://docs.example.com/fine"]);
    refusedUrls.forEach(([, code, why], i) => {
      expect(refused[i]?.error.code).toBe(code);
      expect(refused[i]?.error.message).toMatch(why);
    });
    expect(refused.at(-1)?.error.code).toBe("DUPLICATE_URL");
    // Nothing was fetched while answering, and only the accepted URL became a document.
    expect(requests.length).toBe(before);
    const docs = await api<{ data: { source_url: string | null }[] }>(
      "GET",
      `/api/knowledge-bases/${kb.id}/documents`,
      {
        token: caller.token,
      },
    );
    expect(docs.body.data.map((d) => d.source_url)).toEqual(["https://docs.example.com/fine"]);
  });

  it("a sitemap on a refused host is refused without being fetched", async () => {
    const res = await fetchUrls(caller, kb.id, { sitemap: "https://169.254.169.254/sitemap.xml" });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      queued: [],
      refused: [
        { url: "https://169.254.169.254/sitemap.xml", error: expect.objectContaining({ code: "URL_NOT_ALLOWED" }) },
      ],
    });
  });

  it("rejects more than 100 URLs and a body that is neither urls nor sitemap with the error envelope", async () => {
    const many = Array.from({ length: 101 }, (_, i) => `https://docs.example.com/p${i}`);
    for (const body of [
      { urls: many },
      { urls: [] },
      { url: "https://docs.example.com/" },
      { urls: ["x"], sitemap: "y" },
    ]) {
      const res = await fetchUrls(caller, kb.id, body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect((res.body as unknown as { error: { code: string } }).error.code).toBe("VALIDATION_ERROR");
    }
  });
});

describe("refused while fetching", () => {
  const queue = async (url: string) => {
    const res = await fetchUrls(caller, kb.id, { urls: [url] });
    const id = res.body.queued[0]?.document_id as string;
    await runFetch(caller, id);
    return getDocument(caller, kb.id, id);
  };

  it("a redirect to a private address is not followed, and the document fails with the reason", async () => {
    site.set(
      "https://docs.example.com/moved",
      () => new Response(null, { status: 302, headers: { Location: "https://169.254.169.254/latest/meta-data" } }),
    );
    const before = requests.length;
    const doc = await queue("https://docs.example.com/moved");
    expect(doc.status).toBe("failed");
    expect(doc.error).toMatch(/^Refused: IP addresses are not allowed/);
    expect(requests.slice(before).map((r) => r.url)).toEqual(["https://docs.example.com/moved"]);
  });

  it("a redirect to a host off the allowlist fails the same way", async () => {
    site.set(
      "https://docs.example.com/away",
      () => new Response(null, { status: 301, headers: { Location: "https://evil.example.net/" } }),
    );
    const doc = await queue("https://docs.example.com/away");
    expect(doc).toMatchObject({
      status: "failed",
      error: "Refused: evil.example.net is not in the HTTP tool allowlist",
    });
  });

  it("a page larger than KNOWLEDGE_MAX_UPLOAD_BYTES is not stored", async () => {
    const big = `<html><body><p>${"a ".repeat(5 * 1024 * 1024 + 10)}</p></body></html>`;
    site.set("https://docs.example.com/huge", () => new Response(big, { headers: { "Content-Type": "text/html" } }));
    const doc = await queue("https://docs.example.com/huge");
    expect(doc).toMatchObject({ status: "failed", char_count: 0, chunk_count: 0 });
    expect(doc.error).toMatch(/larger than 10485760 bytes/);
  });

  it("a page that is not text, or missing, fails with the reason", async () => {
    site.set(
      "https://docs.example.com/binary",
      () => new Response(new Uint8Array([0, 1, 2]), { headers: { "Content-Type": "application/octet-stream" } }),
    );
    expect((await queue("https://docs.example.com/binary")).error).toMatch(/non-text content/);
    expect((await queue("https://docs.example.com/missing")).error).toBe("The page answered HTTP 404");
  });
});

describe("permissions and tenancy", () => {
  let team: Team;
  let teamKb: KnowledgeBase;
  let pageId: string;

  beforeAll(async () => {
    team = await createTeam();
    const owner = { token: team.user.token, workspaceId: team.workspaceId, userId: team.user.id };
    teamKb = await createKb(owner, { name: "Team pages" });
    site.set("https://docs.example.com/team", html("Team", "Shared page."));
    const res = await fetchUrls(owner, teamKb.id, { urls: ["https://docs.example.com/team"] });
    pageId = res.body.queued[0]?.document_id as string;
  });

  const add = (token: string, kbId = teamKb.id) =>
    api("POST", `/api/knowledge-bases/${kbId}/documents/fetch`, {
      token,
      body: { urls: ["https://docs.example.com/x"] },
    });
  const refetch = (token: string, kbId = teamKb.id, docId = pageId) =>
    api("POST", `/api/knowledge-bases/${kbId}/documents/${docId}/refetch`, { token });

  it("a read-only member may neither add nor re-fetch pages", async () => {
    expect((await add(team.readOnly.token)).status).toBe(403);
    expect((await refetch(team.readOnly.token)).status).toBe(403);
  });

  it("a workspace admin may, as the owner may", async () => {
    expect((await refetch(team.admin.token)).status).toBe(202);
    expect((await add(team.admin.token)).status).toBe(202);
  });

  it("another tenant sees neither the knowledge base nor its documents", async () => {
    expect((await add(other.token)).status).toBe(404);
    expect((await refetch(other.token)).status).toBe(404);
    const otherKb = await createKb(other, { name: "Mine" });
    expect((await refetch(other.token, otherKb.id, pageId)).status).toBe(404);
  });

  it("the fetch handler never writes across tenants: a message naming another workspace changes nothing", async () => {
    await runFetch(other, pageId);
    const doc = await api<{ status: string; checked_at: string | null }>(
      "GET",
      `/api/knowledge-bases/${teamKb.id}/documents/${pageId}`,
      { token: team.user.token },
    );
    expect(doc.body.checked_at).toBeNull();
  });
});
