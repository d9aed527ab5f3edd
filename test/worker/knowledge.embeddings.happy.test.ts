import { SELF } from "cloudflare:test";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { embedLocal } from "../../worker/core/providers/local-embedder";
import { api, apiKey, newUserAccess } from "./helpers/harness";

let client: OpenAI;
let key: string;
beforeAll(async () => {
  const access = await newUserAccess();
  key = (await apiKey(access, ["knowledge:read"])).key;
  client = new OpenAI({ apiKey: key, baseURL: "http://localhost/v1", fetch: SELF.fetch.bind(SELF), maxRetries: 0 });
});

describe("POST /v1/embeddings", () => {
  it("serves the official openai client (which asks for base64) with one embedding per input, in order", async () => {
    const res = await client.embeddings.create({
      model: "local-hash-v1",
      input: ["supersonic flutter", "boundary layer"],
    });
    expect(res.object).toBe("list");
    expect(res.model).toBe("local-hash-v1");
    expect(res.data.map((d) => d.index)).toEqual([0, 1]);
    expect(res.data[0]?.embedding).toHaveLength(384);
    const expected = embedLocal("supersonic flutter");
    for (const [i, v] of (res.data[0]?.embedding ?? []).entries()) expect(v).toBeCloseTo(expected[i] as number, 5);
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
    expect(res.usage.total_tokens).toBe(res.usage.prompt_tokens);
  });

  it("returns floats for encoding_format float and a single string input", async () => {
    const res = await api<{ data: { embedding: number[] }[] }>("POST", "/v1/embeddings", {
      token: key,
      body: { model: "local-hash-v1", input: "lift", encoding_format: "float" },
    });
    expect(res.status).toBe(200);
    expect(res.body.data[0]?.embedding).toEqual(embedLocal("lift"));
  });
});

describe("POST /v1/embeddings errors, in OpenAI's shape", () => {
  it.each([
    {
      name: "an unknown model",
      body: { model: "text-embedding-3-small", input: "x" },
      status: 404,
      param: "model",
      code: "model_not_found",
    },
    {
      name: "token arrays",
      body: { model: "local-hash-v1", input: [1, 2, 3] },
      status: 400,
      param: "input",
      code: null,
    },
    {
      name: "an empty string",
      body: { model: "local-hash-v1", input: ["ok", ""] },
      status: 400,
      param: "input",
      code: null,
    },
    {
      name: "a wrong dimension count",
      body: { model: "local-hash-v1", input: "x", dimensions: 1536 },
      status: 400,
      param: "dimensions",
      code: null,
    },
    { name: "a missing model", body: { input: "x" }, status: 400, param: "model", code: null },
  ])("refuses $name", async ({ body, status, param, code }) => {
    const res = await api<{ error: { message: string; type: string; param: string | null; code: string | null } }>(
      "POST",
      "/v1/embeddings",
      { token: key, body },
    );
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", param, ...(code ? { code } : {}) });
    expect(res.body.error.message.length).toBeGreaterThan(0);
  });

  it("answers a missing or wrong key with 401 that the client raises as AuthenticationError", async () => {
    const anon = await api<{ error: { type: string; code: string } }>("POST", "/v1/embeddings", {
      body: { model: "local-hash-v1", input: "x" },
    });
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe("invalid_api_key");
    const bad = new OpenAI({
      apiKey: "lh_not_a_key",
      baseURL: "http://localhost/v1",
      fetch: SELF.fetch.bind(SELF),
      maxRetries: 0,
    });
    await expect(bad.embeddings.create({ model: "local-hash-v1", input: "x" })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });

  it("refuses a key without the knowledge:read scope with 403", async () => {
    const access = await newUserAccess();
    const other = (await apiKey(access, ["agents:read"])).key;
    const res = await api<{ error: { type: string } }>("POST", "/v1/embeddings", {
      token: other,
      body: { model: "local-hash-v1", input: "x" },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.type).toBe("permission_error");
  });
});
