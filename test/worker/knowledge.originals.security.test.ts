// Originals are tenant data: only members of the document's workspace download them (another
// workspace gets 404, as for the document itself), a read-only member and a scoped API key read
// them like the document, and what comes back can never be rendered as this origin's page.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeBase, UploadResult } from "../../worker/knowledge/schemas";
import { api, apiKey, BASE, createTeam, type ErrorBody, type Team } from "./helpers/harness";
import { type Caller, signedInUser, uploadJson, uploadText } from "./knowledge.helpers";

let team: Team;
let outsider: Caller;
let kb: KnowledgeBase;
let doc: UploadResult;
const original = (kbId: string, docId: string) => `/api/knowledge-bases/${kbId}/documents/${docId}/original`;

beforeAll(async () => {
  [team, outsider] = await Promise.all([createTeam(), signedInUser()]);
  const res = await api<KnowledgeBase>("POST", "/api/knowledge-bases", {
    token: team.user.token,
    body: { name: "Team knowledge" },
  });
  kb = res.body;
  doc = await uploadText(
    { token: team.user.token, workspaceId: team.workspaceId, userId: team.user.id },
    kb.id,
    "t.md",
    "# Team\nWake vortex separation minima.",
  );
});

describe("who may download an original", () => {
  it("any member of the workspace (read-only included) and an API key with knowledge:read; not a key without it", async () => {
    for (const t of [team.admin.token, team.user.token, team.readOnly.token]) {
      const res = await api("GET", original(kb.id, doc.id), { token: t });
      expect(res.status).toBe(200);
      expect(res.body).toBe("# Team\nWake vortex separation minima.");
    }
    const reader = await apiKey(team.admin.token, ["knowledge:read"]);
    expect((await api("GET", original(kb.id, doc.id), { token: reader.key })).status).toBe(200);
    const other = await apiKey(team.admin.token, ["agents:read"]);
    const refused = await api<ErrorBody>("GET", original(kb.id, doc.id), { token: other.key });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FORBIDDEN");
    expect((await api<ErrorBody>("GET", original(kb.id, doc.id))).status).toBe(401);
  });

  it("another workspace gets 404 for the document, under its own knowledge base id too, with no bytes", async () => {
    const theirs = await api<KnowledgeBase>("POST", "/api/knowledge-bases", {
      token: outsider.token,
      body: { name: "Mine" },
    });
    for (const path of [original(kb.id, doc.id), original(theirs.body.id, doc.id)]) {
      const res = await api<ErrorBody>("GET", path, { token: outsider.token });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
      expect(JSON.stringify(res.body)).not.toContain("Wake vortex");
    }
    // The object is where its own workspace's key says, nowhere under the outsider's.
    expect((await env.ORIGINALS.list({ prefix: `ws/${outsider.workspaceId}/` })).objects).toEqual([]);
  });
});

describe("what a download can do in a browser", () => {
  it("an HTML original is an attachment, nosniff, sandboxed, and a hostile name cannot split or inject headers", async () => {
    const owner = { token: team.user.token, workspaceId: team.workspaceId, userId: team.user.id };
    const name = `evil"; filename=x.exe; ünïcødé ✈.html`;
    // As JSON: multipart would percent-encode the quote in the file name before the Worker saw it.
    const up = await uploadJson(owner, kb.id, {
      name,
      content_type: "text/html",
      content: "<html><body><script>alert(document.cookie)</script><p>Ground effect.</p></body></html>",
    });
    expect(up.status).toBe(202);
    const res = await SELF.fetch(`${BASE}${original(kb.id, up.body.id)}`, {
      headers: { Authorization: `Bearer ${team.readOnly.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Content-Security-Policy")).toContain("sandbox");
    const disposition = res.headers.get("Content-Disposition") ?? "";
    expect(disposition).toBe(
      `attachment; filename="evil__ filename_x.exe_ _n_c_d_ _.html"; filename*=UTF-8''${encodeURIComponent(name).replace(/'/g, "%27")}`,
    );
    // Exactly one filename parameter of each kind: the quote in the name did not open a second one.
    expect(disposition.match(/filename=/g)).toHaveLength(1);
    expect(disposition.match(/filename\*=/g)).toHaveLength(1);
    await res.arrayBuffer();
  });
});
