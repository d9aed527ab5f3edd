import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  documentAudits,
  ingestionStatus,
  settled,
  storedDocuments,
  textFiles,
  untilSettled,
  uploadBatch,
  uploadBatchMultipart,
} from "./knowledge.batch.helpers";
import { type Caller, createKb, ingest, signedInUser, uploadJson, uploadText } from "./knowledge.helpers";

let me: Caller;

beforeAll(async () => {
  me = await signedInUser();
});

const b64 = (text: string) => btoa(text);

describe("batch upload", () => {
  it("answers one result per file, in the order sent, for a mix of new, bad, duplicate and unchanged files", async () => {
    const kb = await createKb(me, { name: "Mixed" });
    const old = await uploadText(me, kb.id, "old.txt", "Old content about wing flutter.");
    const res = await uploadBatch(me, kb.id, [
      { name: "a.txt", content: "Alpha text about boundary layers." },
      { name: "empty.txt", content: "" },
      { name: "picture.png", content: b64("\u0089PNG not a document"), content_encoding: "base64" },
      { name: "old.txt", content: "Old content about wing flutter." },
      { name: "b.txt", content: "Alpha text about boundary layers." },
      { name: "bell\u0007.txt", content: "A name that rings the terminal bell." },
      { name: "broken.txt", content: "%%%not base64", content_encoding: "base64" },
      { name: "c.md", content: "# C\n\nCharlie on turbulence.", tags: ["flow"] },
      { name: "a.txt", content: "A second file with the first one's name." },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { results, summary } = res.body;
    expect(results.map((r) => [r.index, r.name, r.status, r.error?.code])).toEqual([
      [0, "a.txt", "created", undefined],
      [1, "empty.txt", "refused", "UNPROCESSABLE"],
      [2, "picture.png", "refused", "UNSUPPORTED_MEDIA_TYPE"],
      [3, "old.txt", "unchanged", undefined],
      [4, "b.txt", "refused", "CONFLICT"],
      [5, "bell\u0007.txt", "refused", "VALIDATION_ERROR"],
      [6, "broken.txt", "refused", "VALIDATION_ERROR"],
      [7, "c.md", "created", undefined],
      [8, "a.txt", "refused", "CONFLICT"],
    ]);
    expect(summary).toEqual({ created: 2, unchanged: 1, replaced: 0, refused: 6 });
    expect(results[3]?.document?.id).toBe(old.id);
    expect(results[7]?.document).toMatchObject({ name: "c.md", content_type: "text/markdown", tags: ["flow"] });
    expect(results.every((r) => (r.status === "refused") === (r.error !== undefined && r.document === undefined))).toBe(
      true,
    );
    // Only the good files were stored: nothing of a refused file is left behind.
    expect((await storedDocuments(kb.id)).map((d) => d.name)).toEqual(["a.txt", "c.md", "old.txt"]);
  });

  it("takes multipart with repeated file parts and tags for all of them", async () => {
    const kb = await createKb(me, { name: "Multipart" });
    const res = await uploadBatchMultipart(
      me,
      kb.id,
      [
        { name: "one.txt", type: "text/plain", text: "One: supersonic inlets." },
        { name: "two.md", type: "text/markdown", text: "# Two\n\nShock reflections." },
        { name: "three.txt", type: "text/plain", text: "" },
      ],
      { tags: "inlets,shocks" },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.results.map((r) => r.status)).toEqual(["created", "created", "refused"]);
    expect(res.body.results[1]?.document).toMatchObject({
      name: "two.md",
      tags: ["inlets", "shocks"],
      status: "queued",
    });
  });

  it("answers all unchanged when the same files are sent again, and queues nothing", async () => {
    const kb = await createKb(me, { name: "Rerun" });
    const files = textFiles(4, "rerun");
    const first = await uploadBatch(me, kb.id, files);
    expect(first.body.summary).toEqual({ created: 4, unchanged: 0, replaced: 0, refused: 0 });
    for (const r of first.body.results) await ingest(me, r.document?.id ?? "");
    await untilSettled(me, kb.id);
    const before = await storedDocuments(kb.id);
    expect(before.every((d) => d.status === "ready")).toBe(true);
    const audits = await documentAudits(kb.id);

    const again = await uploadBatch(me, kb.id, files);
    expect(again.status).toBe(200);
    expect(again.body.summary).toEqual({ created: 0, unchanged: 4, replaced: 0, refused: 0 });
    expect(again.body.results.map((r) => r.document?.id)).toEqual(first.body.results.map((r) => r.document?.id));
    expect(again.body.results.every((r) => r.document?.status === "ready")).toBe(true);
    // Nothing written or queued: same rows, same update times, same attempts, no new audit rows.
    expect(await storedDocuments(kb.id)).toEqual(before);
    expect(await documentAudits(kb.id)).toBe(audits);

    expect(await ingestionStatus(me, kb.id)).toEqual(settled({ ready: 4 }, 4, 4));
  });

  it("answers replaced for a known name with new content (or new tags), keeping the document's id", async () => {
    const kb = await createKb(me, { name: "Changed" });
    const first = await uploadBatch(me, kb.id, [
      { name: "spec.txt", content: "Version one of the nozzle spec." },
      { name: "notes.txt", content: "Notes that stay the same." },
    ]);
    for (const r of first.body.results) await ingest(me, r.document?.id ?? "");
    const second = await uploadBatch(me, kb.id, [
      { name: "spec.txt", content: "Version two of the nozzle spec, with throat area." },
      { name: "notes.txt", content: "Notes that stay the same.", tags: ["kept"] },
    ]);
    expect(second.body.results.map((r) => r.status)).toEqual(["replaced", "replaced"]);
    expect(second.body.results.map((r) => r.document?.id)).toEqual(first.body.results.map((r) => r.document?.id));
    expect(second.body.results[0]?.document).toMatchObject({ status: "queued", size_bytes: 49 });
    expect(second.body.results[1]?.document).toMatchObject({ status: "queued", tags: ["kept"] });
    expect(second.body.summary).toEqual({ created: 0, unchanged: 0, replaced: 2, refused: 0 });
    expect(await storedDocuments(kb.id)).toHaveLength(2);
  });
});

describe("single upload of a file the knowledge base already holds", () => {
  it("answers 200 with the existing document and X-Upload-Result: unchanged; new uploads stay 202", async () => {
    const kb = await createKb(me, { name: "Single" });
    const created = await uploadJson(me, kb.id, { name: "s.txt", content: "Single file on vortex shedding." });
    expect(created.status).toBe(202);
    expect(created.headers.get("X-Upload-Result")).toBe("created");
    const again = await uploadJson(me, kb.id, { name: "s.txt", content: "Single file on vortex shedding." });
    expect(again.status).toBe(200);
    expect(again.headers.get("X-Upload-Result")).toBe("unchanged");
    expect(again.body).toMatchObject({ id: created.body.id, action: "unchanged" });
    const changed = await uploadJson(me, kb.id, { name: "s.txt", content: "Single file on vortex shedding, revised." });
    expect(changed.status).toBe(202);
    expect(changed.headers.get("X-Upload-Result")).toBe("replaced");
  });
});

describe("ingestion progress", () => {
  it("counts documents by state and says whether work is in flight", async () => {
    const kb = await createKb(me, { name: "Progress" });
    expect(await ingestionStatus(me, kb.id)).toEqual(settled({}, 0, 0));
    const { body } = await uploadBatch(me, kb.id, textFiles(2, "progress"));
    const ids = body.results.map((r) => r.document?.id ?? "");
    await ingest(me, ids[0] ?? "");
    await ingest(me, ids[1] ?? "");
    const earlier = Date.now() - 2 * 60_000;
    await env.DB.prepare("UPDATE documents SET updated_at = ? WHERE id = ?").bind(earlier, ids[1]).run();
    // Three more in the states a running ingestion passes through, written directly (with no
    // queue message behind them, the consumer in this test runtime cannot move them on while we look).
    const states = ["failed", "processing", "queued"].map((status, i) => [`doc_progress${i}${kb.id}`, status]);
    await env.DB.prepare(
      "INSERT INTO documents (id, workspace_id, knowledge_base_id, name, content_type, content_hash, size_bytes, status) SELECT json_extract(value, '$[0]'), ?1, ?2, json_extract(value, '$[0]'), 'text/plain', json_extract(value, '$[0]'), 1, json_extract(value, '$[1]') FROM json_each(?3)",
    )
      .bind(me.workspaceId, kb.id, JSON.stringify(states))
      .run();
    expect(await ingestionStatus(me, kb.id)).toEqual({
      counts: { queued: 1, processing: 1, ready: 2, failed: 1 },
      unchanged_last_hour: 0,
      // One became ready just now; the other two minutes ago.
      rate_per_minute: 1,
      in_flight: true,
    });
  });
});
