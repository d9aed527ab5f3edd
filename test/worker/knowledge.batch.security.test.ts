import { env } from "cloudflare:test";
import type { BatchUploadResponse } from "@hive/shared/api-types/knowledge";
import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../../worker/knowledge/schemas";
import { DEFAULT_POLICY } from "../../worker/ratelimit/policy";
import { api, apiKey, createTeam, type ErrorBody, login, type Team } from "./helpers/harness";
import { batchPath, storedDocuments, textFiles, uploadBatch } from "./knowledge.batch.helpers";
import { type Caller, createKb, signedInUser, uploadJson } from "./knowledge.helpers";

/** A fresh workspace whose own rate-limit policy is `spec`, set before its first limited request. */
async function limitedCaller(spec: string): Promise<Caller> {
  const caller = await signedInUser();
  await env.CACHE.put(`rl:policy:${caller.workspaceId}`, spec);
  return caller;
}

const errorOf = (body: unknown) => (body as ErrorBody).error;

describe("the ingest rate class (per workspace: documents and bytes per window)", () => {
  it("admits whole batches while they fit, refuses a batch that does not fit whole with 429, and writes none of it", async () => {
    const me = await limitedCaller("ingest=5/60");
    const kb = await createKb(me, { name: "Limited" });
    const first = await uploadBatch(me, kb.id, textFiles(3, "first"));
    expect(first.status).toBe(200);
    expect(first.headers.get("RateLimit-Limit")).toBe("5");
    expect(first.headers.get("RateLimit-Remaining")).toBe("2");
    expect(first.headers.get("RateLimit-Policy")).toMatch(/^5;w=60;unit=documents, \d+;w=60;unit=bytes$/);

    const refused = await uploadBatch(me, kb.id, textFiles(3, "second"));
    expect(refused.status).toBe(429);
    expect(errorOf(refused.body)).toMatchObject({ code: "RATE_LIMITED", details: { limit: 5, unit: "documents" } });
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(61);
    expect(refused.headers.get("RateLimit-Limit")).toBe("5");
    expect(refused.headers.get("RateLimit-Remaining")).toBe("2");
    expect(Number(refused.headers.get("RateLimit-Reset"))).toBeGreaterThan(0);
    expect(refused.headers.get("RateLimit-Policy")).toContain("5;w=60;unit=documents");
    // Refused whole: not one of its files was stored.
    expect((await storedDocuments(kb.id)).map((d) => d.name)).toEqual(["first-0.txt", "first-1.txt", "first-2.txt"]);

    // Two still fit; then the single route is charged to the same window.
    const rest = await uploadBatch(me, kb.id, textFiles(2, "second"));
    expect(rest.status).toBe(200);
    expect(rest.headers.get("RateLimit-Remaining")).toBe("0");
    const single = await uploadJson(me, kb.id, { name: "one-more.txt", content: "One more file." });
    expect(single.status).toBe(429);
    expect(single.headers.get("Retry-After")).not.toBeNull();

    // Files already there cost nothing: a re-run is answered while the window is full.
    const rerun = await uploadBatch(me, kb.id, textFiles(3, "first"));
    expect(rerun.status).toBe(200);
    expect(rerun.body.summary.unchanged).toBe(3);

    // A batch larger than the whole window could never be admitted: 413, not a wait forever.
    const huge = await uploadBatch(me, kb.id, textFiles(6, "huge"));
    expect(huge.status).toBe(413);
    expect(errorOf(huge.body)).toMatchObject({ code: "PAYLOAD_TOO_LARGE", details: { limit: 5, unit: "documents" } });
    expect(await storedDocuments(kb.id)).toHaveLength(5);
  });

  it("charges the bytes of the files it queues, and refuses with unit bytes when they do not fit", async () => {
    const me = await limitedCaller("ingest_bytes=100/60");
    const kb = await createKb(me, { name: "Bytes" });
    const sixty = (label: string) => ({ name: `${label}.txt`, content: label.padEnd(60, ".") });
    const first = await uploadBatch(me, kb.id, [sixty("first")]);
    expect(first.status).toBe(200);
    const refused = await uploadBatch(me, kb.id, [sixty("second")]);
    expect(refused.status).toBe(429);
    expect(errorOf(refused.body)).toMatchObject({ code: "RATE_LIMITED", details: { limit: 100, unit: "bytes" } });
    expect(refused.headers.get("RateLimit-Limit")).toBe("100");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Neither window was charged for the refused batch: the documents window still has the same room.
    const small = await uploadBatch(me, kb.id, [{ name: "small.txt", content: "Fits in forty bytes." }]);
    expect(small.status).toBe(200);
    expect(small.headers.get("RateLimit-Remaining")).toBe(String(DEFAULT_POLICY.ingest.limit - 2));
  });

  it("no longer charges uploads to the per-credential write class, which still protects other writes", async () => {
    const me = await limitedCaller("write=3/60");
    const kb = await createKb(me, { name: "Writes" }); // write 1 of 3
    for (let i = 0; i < 5; i++) {
      const res = await uploadJson(me, kb.id, { name: `w${i}.txt`, content: `Upload ${i} about heat transfer.` });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
    }
    expect((await uploadBatch(me, kb.id, textFiles(5, "writes"))).status).toBe(200);
    const create = () => api("POST", "/api/knowledge-bases", { token: me.token, body: { name: "Another" } });
    expect((await create()).status).toBe(201); // write 2
    expect((await create()).status).toBe(201); // write 3
    const limited = await create();
    expect(limited.status).toBe(429);
    expect(errorOf(limited.body).message).toContain("this credential");
    expect(limited.headers.get("RateLimit-Limit")).toBe("3");
  });
});

describe("who may upload a batch and read ingestion progress", () => {
  let team: Team;
  let kb: KnowledgeBase;
  beforeAll(async () => {
    team = await createTeam();
    kb = await createKb(team.admin, { name: "Team knowledge" });
  });

  it("answers 404 to another workspace's member on both routes and stores nothing", async () => {
    const outsider = await signedInUser();
    const batch = await uploadBatch(outsider, kb.id, textFiles(2, "planted"));
    expect(batch.status).toBe(404);
    expect(errorOf(batch.body).code).toBe("NOT_FOUND");
    const progress = await api("GET", `/api/knowledge-bases/${kb.id}/ingestion`, { token: outsider.token });
    expect(progress.status).toBe(404);
    expect(await storedDocuments(kb.id)).toEqual([]);
  });

  it("refuses read-only members and keys without knowledge:write; any member reads the progress", async () => {
    const reader = await api("POST", batchPath(kb.id), {
      token: team.readOnly.token,
      body: { files: textFiles(1, "reader") },
    });
    expect(reader.status).toBe(403);
    const readKey = await apiKey(team.admin.token, ["knowledge:read"]);
    const keyed = await api("POST", batchPath(kb.id), { token: readKey.key, body: { files: textFiles(1, "key") } });
    expect(keyed.status).toBe(403);
    expect(await storedDocuments(kb.id)).toEqual([]);
    for (const t of [team.readOnly.token, team.user.token, readKey.key]) {
      const res = await api("GET", `/api/knowledge-bases/${kb.id}/ingestion`, { token: t });
      expect(res.status).toBe(200);
    }
  });

  it("takes a JSON batch from the dashboard's session, but not a cross-site or multipart one", async () => {
    const cookie = await login(team.admin.email, team.admin.password);
    const ok = await api<BatchUploadResponse>("POST", batchPath(kb.id), {
      cookie,
      headers: { "X-Workspace-Id": team.workspaceId },
      body: { files: textFiles(1, "dashboard") },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const foreign = await api("POST", batchPath(kb.id), {
      cookie,
      headers: { Origin: "https://evil.example", "X-Workspace-Id": team.workspaceId },
      body: { files: textFiles(1, "forged") },
    });
    expect(foreign.status).toBe(403);
    const multipart = await api("POST", batchPath(kb.id), {
      cookie,
      headers: { "Content-Type": "multipart/form-data; boundary=x", "X-Workspace-Id": team.workspaceId },
      body: '--x\r\nContent-Disposition: form-data; name="file"; filename="f.txt"\r\n\r\nforged\r\n--x--\r\n',
    });
    expect(multipart.status).toBe(403);
    expect((await storedDocuments(kb.id)).map((d) => d.name)).toEqual(["dashboard-0.txt"]);
  });
});

describe("batch size limits", () => {
  it("refuses more files than KNOWLEDGE_BATCH_MAX_FILES with 413 and stores none of them", async () => {
    const me = await signedInUser();
    const kb = await createKb(me, { name: "Too many" });
    const res = await uploadBatch(me, kb.id, textFiles(101, "many"));
    expect(res.status).toBe(413);
    expect(errorOf(res.body)).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      details: { limit: 100, sent: 101, setting: "KNOWLEDGE_BATCH_MAX_FILES" },
    });
    expect(await storedDocuments(kb.id)).toEqual([]);
  });
});
