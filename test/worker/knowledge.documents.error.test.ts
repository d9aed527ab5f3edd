import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../../worker/knowledge/schemas";
import { api, BASE, type ErrorBody } from "./helpers/harness";
import { type Caller, createKb, signedInUser, uploadJson, uploadMultipart } from "./knowledge.helpers";

let me: Caller;
let kb: KnowledgeBase;
beforeAll(async () => {
  me = await signedInUser();
  kb = await createKb(me, { name: "Bad files" });
});

const LIMIT = 10 * 1024 * 1024;
const b64 = (bytes: Uint8Array) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
const garbage = (n: number, seed = 7) => {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
};
const utf8 = (text: string) => new TextEncoder().encode(text);
/** An inline upload of `bytes` that claims `content_type`. */
const base64Body = (name: string, content_type: string, bytes: Uint8Array) => ({
  name,
  content_type,
  content: b64(bytes),
  content_encoding: "base64",
});

/** One refused upload: what is sent, and the status and error code it must get. */
interface BadFile {
  name: string;
  body: Record<string, unknown>;
  status: number;
  code: string;
}
const refusal =
  (status: number, code: string) =>
  (name: string, body: Record<string, unknown>): BadFile => ({ name, body, status, code });
const unprocessable = refusal(422, "UNPROCESSABLE");
const unsupported = refusal(415, "UNSUPPORTED_MEDIA_TYPE");
const invalid = refusal(400, "VALIDATION_ERROR");
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

/** Nothing of a refused upload may remain: no document row, no stored text, no chunks. */
async function expectNothingStored() {
  const q = (sql: string) => env.DB.prepare(sql).bind(kb.id).first<{ n: number }>();
  expect((await q("SELECT count(*) AS n FROM documents WHERE knowledge_base_id = ?"))?.n).toBe(0);
  expect(
    (
      await q(
        "SELECT count(*) AS n FROM document_texts t JOIN documents d ON d.id = t.document_id WHERE d.knowledge_base_id = ?",
      )
    )?.n,
  ).toBe(0);
  expect((await q("SELECT count(*) AS n FROM chunks WHERE knowledge_base_id = ?"))?.n).toBe(0);
  expect((await env.DB.prepare("SELECT count(*) AS n FROM document_texts").first<{ n: number }>())?.n).toBe(0);
}

describe("bad files get the error envelope and leave nothing stored", () => {
  const cases: BadFile[] = [
    unprocessable("an empty file", { name: "empty.txt", content: "" }),
    unprocessable("a file of only whitespace", { name: "blank.md", content: " \n\n\t \n" }),
    unprocessable("binary garbage claiming text/plain", base64Body("x.txt", "text/plain", garbage(4096))),
    unprocessable("a PNG claiming text/plain", base64Body("x.txt", "text/plain", PNG)),
    unprocessable("text with NUL bytes", { name: "nul.txt", content: "hello\u0000world" }),
    unprocessable("a PDF that is not one", base64Body("fake.pdf", "application/pdf", utf8("just text pretending"))),
    unprocessable("a damaged PDF", base64Body("broken.pdf", "application/pdf", utf8("%PDF-1.7\n1 0 obj garbage"))),
    unprocessable("a PDF uploaded as text", base64Body("doc.txt", "text/plain", utf8("%PDF-1.4\n%âãÏÓ\n"))),
    unprocessable("JSON that does not parse", { name: "bad.json", content: '{"a": [1, 2' }),
    unsupported("an unsupported type", base64Body("photo.png", "image/png", PNG)),
    unsupported("an unknown extension with no type", { name: "archive.xyz", content: "some text" }),
    invalid("base64 that is not base64", { name: "x.txt", content: "@@@not base64@@@", content_encoding: "base64" }),
    invalid("a missing name", { content: "text" }),
  ];

  it.each(cases)(
    "refuses $name with $status",
    async ({ body, status, code }) => {
      const res = await uploadJson(me, kb.id, body);
      expect(res.status).toBe(status);
      const err = res.body as unknown as ErrorBody;
      expect(err.error.code).toBe(code);
      expect(err.error.request_id).toMatch(/^req_/);
      await expectNothingStored();
    },
    20_000,
  );

  it("refuses the same bad files sent as multipart", async () => {
    const empty = await uploadMultipart(me, kb.id, { name: "empty.txt", type: "text/plain", bytes: new Uint8Array() });
    expect(empty.status).toBe(422);
    const fakePdf = await uploadMultipart(me, kb.id, {
      name: "fake.pdf",
      type: "application/pdf",
      bytes: "<html>not a pdf</html>",
    });
    expect(fakePdf.status).toBe(422);
    const png = await uploadMultipart(me, kb.id, { name: "notes.txt", type: "text/plain", bytes: PNG });
    expect(png.status).toBe(422);
    const noFile = await SELF.fetch(`${BASE}/api/knowledge-bases/${kb.id}/documents`, {
      method: "POST",
      body: (() => {
        const f = new FormData();
        f.append("tags", "a");
        return f;
      })(),
      headers: { Authorization: `Bearer ${me.token}` },
    });
    expect(noFile.status).toBe(400);
    await expectNothingStored();
  });

  it("answers 413 for a document over KNOWLEDGE_MAX_UPLOAD_BYTES (multipart and base64) and for a body over the route's limit", async () => {
    const big = new Uint8Array(LIMIT + 1).fill(0x61);
    const multipart = await uploadMultipart(me, kb.id, { name: "big.txt", type: "text/plain", bytes: big });
    expect(multipart.status).toBe(413);
    expect((multipart.body as unknown as ErrorBody).error).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      details: { limit_bytes: LIMIT, size_bytes: LIMIT + 1 },
    });
    const inline = await uploadJson(me, kb.id, { name: "big.txt", content: b64(big), content_encoding: "base64" });
    expect(inline.status).toBe(413);
    const body = JSON.stringify({ name: "huge.txt", content: "a".repeat(Math.ceil((LIMIT * 4) / 3) + 128 * 1024) });
    const tooBig = await api("POST", `/api/knowledge-bases/${kb.id}/documents`, { token: me.token, body });
    expect(tooBig.status).toBe(413);
    expect((tooBig.body as ErrorBody).error.code).toBe("PAYLOAD_TOO_LARGE");
    await expectNothingStored();
  }, 60_000);

  it("allows the upload route a larger body than other routes, which keep MAX_BODY_BYTES", async () => {
    const text = "Wing section data. ".repeat(100_000);
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const other = await api("POST", "/api/knowledge-bases", {
      token: me.token,
      body: { name: "x", description: text },
    });
    expect(other.status).toBe(413);
    const upload = await uploadJson(me, kb.id, { name: "large.txt", content: text });
    expect(upload.status).toBe(202);
    await api("DELETE", `/api/knowledge-bases/${kb.id}/documents/${upload.body.id}`, { token: me.token });
    await expectNothingStored();
  }, 30_000);

  it("answers 415 for a request body that is neither JSON nor multipart", async () => {
    const res = await api("POST", `/api/knowledge-bases/${kb.id}/documents`, {
      token: me.token,
      body: "plain",
      headers: { "Content-Type": "text/plain" },
    });
    expect(res.status).toBe(415);
    expect((res.body as ErrorBody).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });
});

describe("knowledge base validation", () => {
  it.each([
    { body: { name: "x", chunk_size: 100, chunk_overlap: 100 }, path: "chunk_overlap" },
    { body: { name: "x", chunk_size: 100, chunk_overlap: 51 }, path: "chunk_overlap" },
    { body: { name: "x", chunk_size: 8 }, path: "chunk_size" },
    { body: { name: "x", chunk_size: 100_000 }, path: "chunk_size" },
    { body: { name: "" }, path: "name" },
    { body: { name: "x", unknown: 1 }, path: "" },
  ])("refuses $body with a field error on '$path'", async ({ body, path }) => {
    const res = await api("POST", "/api/knowledge-bases", { token: me.token, body });
    expect(res.status).toBe(400);
    const err = res.body as ErrorBody;
    expect(err.error.code).toBe("VALIDATION_ERROR");
    expect((err.error.details.fields as { path: string }[]).some((f) => f.path === path)).toBe(true);
  });

  it("refuses an update whose overlap no longer fits the stored chunk size", async () => {
    const k = await createKb(me, { chunk_size: 200, chunk_overlap: 50 });
    const res = await api("PATCH", `/api/knowledge-bases/${k.id}`, { token: me.token, body: { chunk_size: 64 } });
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).error.details.fields).toEqual([expect.objectContaining({ path: "chunk_overlap" })]);
  });

  it("refuses an embedding model this deployment cannot run", async () => {
    const res = await api("POST", "/api/knowledge-bases", {
      token: me.token,
      body: { name: "x", embedding_model: "@cf/baai/bge-large-en-v1.5" },
    });
    expect(res.status).toBe(422);
    expect((res.body as ErrorBody).error.details).toMatchObject({ available: ["local-hash-v1"] });
  });
});
