// Idempotency-Key on creating POSTs: a retry gets the first answer without creating twice, the same
// key with another body is refused, concurrent duplicates create once, a failed first attempt
// (D1 outage) leaves the key free for the retry, and keys expire after 24 h.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../worker/agents/schemas";
import { faultyD1, fetchWith } from "./helpers/faulty-env";
import { api, type ErrorBody, expectStatus, newUserAccess } from "./helpers/harness";

let access: string;
let other: string;

beforeAll(async () => {
  [access, other] = await Promise.all([newUserAccess(), newUserAccess()]);
});

const create = (token: string, name: string, key: string, extra: Record<string, unknown> = {}) =>
  api<Agent>("POST", "/api/agents", { token, body: { name, ...extra }, headers: { "Idempotency-Key": key } });

const named = async (token: string, name: string) =>
  (
    await expectStatus<{ data: Agent[] }>(200, "GET", "/api/agents?limit=100", {
      token,
      headers: { "Cache-Control": "no-cache" },
    })
  ).data.filter((a) => a.name === name);

describe("Idempotency-Key", () => {
  it("answers a retry with the first answer and creates once", async () => {
    const first = await create(access, "Once only", "retry-1");
    const again = await create(access, "Once only", "retry-1");
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await named(access, "Once only")).toHaveLength(1);
  });

  it("refuses the same key with a different body (422 IDEMPOTENCY_KEY_REUSED) and creates nothing", async () => {
    expect((await create(access, "Body A", "reuse-1")).status).toBe(201);
    const res = await create(access, "Body B", "reuse-1");
    expect(res.status).toBe(422);
    expect((res.body as unknown as ErrorBody).error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await named(access, "Body B")).toHaveLength(0);
  });

  it("keeps each credential's keys apart", async () => {
    const mine = await create(access, "Shared key", "same-key");
    const theirs = await create(other, "Shared key", "same-key");
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it("creates once when duplicates arrive together", async () => {
    const answers = await Promise.all([1, 2, 3].map(() => create(access, "Concurrent", "together-1")));
    for (const a of answers) expect([201, 409]).toContain(a.status);
    const created = answers.filter((a) => a.status === 201).map((a) => a.body.id);
    expect(new Set(created).size).toBe(1);
    expect(await named(access, "Concurrent")).toHaveLength(1);
  });

  it("frees the key when the first attempt failed (D1 outage), so the retry creates", async () => {
    const failed = await fetchWith({ DB: faultyD1(/insert into "agents"/i) }, "POST", "/api/agents", {
      token: access,
      body: { name: "After outage" },
      headers: { "Idempotency-Key": "outage-1" },
    });
    expect(failed.status).toBe(503);
    const retry = await create(access, "After outage", "outage-1");
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await named(access, "After outage")).toHaveLength(1);
  });

  it("forgets keys after 24 h: the old row is purged and the key creates again", async () => {
    const first = await create(access, "Day old", "expiry-1");
    await env.DB.prepare("UPDATE idempotency_keys SET created_at = created_at - 90000000 WHERE key = ?")
      .bind("expiry-1")
      .run();
    const later = await create(access, "Day old", "expiry-1");
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    const old = await env.DB.prepare("SELECT count(*) AS n FROM idempotency_keys WHERE created_at < ?")
      .bind(Date.now() - 24 * 3600 * 1000)
      .first<{ n: number }>();
    expect(old?.n).toBe(0);
  });

  it("uploads a document once for a retried upload", async () => {
    const kb = await expectStatus<{ id: string }>(201, "POST", "/api/knowledge-bases", {
      token: access,
      body: { name: "Idempotent uploads" },
    });
    const upload = () =>
      api<{ id: string }>("POST", `/api/knowledge-bases/${kb.id}/documents`, {
        token: access,
        body: { name: "retry.md", content: "# Retry\n\nUploaded once.", replace: true },
        headers: { "Idempotency-Key": "upload-1" },
      });
    const [first, again] = [await upload(), await upload()];
    expect(first.status).toBeLessThan(300);
    expect(again.body.id).toBe(first.body.id);
    expect(again.status).toBe(first.status);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    const docs = await expectStatus<{ data: unknown[] }>(200, "GET", `/api/knowledge-bases/${kb.id}/documents`, {
      token: access,
      headers: { "Cache-Control": "no-cache" },
    });
    expect(docs.data).toHaveLength(1);
  });

  it("rejects a malformed key with 400 before doing anything", async () => {
    const res = await create(access, "Bad key", "x".repeat(256));
    expect(res.status).toBe(400);
    expect((res.body as unknown as ErrorBody).error.code).toBe("VALIDATION_ERROR");
    expect(await named(access, "Bad key")).toHaveLength(0);
  });
});
