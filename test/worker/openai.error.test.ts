// /v1 failures come back in OpenAI's error shape with the matching status, so the official
// client raises its usual typed errors: 401 without a key, 403 without the scope, 404 for an
// unknown or another tenant's model, 400 for bad input.
import { SELF } from "cloudflare:test";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import type { OpenAiError } from "../../worker/openai/schemas";
import { createAgent } from "./helpers/chat";
import { apiKey, BASE, createUser, newUserAccess, token } from "./helpers/harness";

let key: string;
let readOnlyKey: string;
let strangerAgentId: string;

const clientWith = (apiKeyValue: string) =>
  new OpenAI({ apiKey: apiKeyValue, baseURL: "http://localhost/v1", fetch: SELF.fetch.bind(SELF), maxRetries: 0 });

beforeAll(async () => {
  const access = await newUserAccess();
  key = (await apiKey(access, ["chat", "agents:read"])).key;
  readOnlyKey = (await apiKey(access, ["agents:read"])).key;
  const s = await createUser();
  const strangerAccess = (await token(s.email, s.password)).access_token;
  strangerAgentId = (await createAgent(strangerAccess, { name: "Not yours" })).id;
});

async function raw(body: unknown, auth?: string): Promise<{ status: number; body: OpenAiError }> {
  const res = await SELF.fetch(`${BASE}/v1/chat/completions`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(auth ? { Authorization: `Bearer ${auth}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json<OpenAiError>() };
}

const hello = [{ role: "user" as const, content: "hello" }];

describe("OpenAI-shaped errors", () => {
  it("answers 401 without a key, in OpenAI's shape", async () => {
    const r = await raw({ model: "offline", messages: hello });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      error: { message: expect.any(String), type: "invalid_request_error", param: null, code: "invalid_api_key" },
    });
    await expect(
      clientWith("lh_not_a_key").chat.completions.create({ model: "offline", messages: hello }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("answers 403 to a key without the chat scope", async () => {
    await expect(
      clientWith(readOnlyKey).chat.completions.create({ model: "offline", messages: hello }),
    ).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    const r = await raw({ model: "offline", messages: hello }, readOnlyKey);
    expect(r.body.error).toMatchObject({ type: "permission_error", code: "insufficient_permissions" });
  });

  it("answers 404 model_not_found for an unknown model and for another tenant's agent", async () => {
    for (const model of ["gpt-9000", "agt_doesnotexist", strangerAgentId, "@cf/meta/llama-3.1-8b-instruct"]) {
      const err = await clientWith(key)
        .chat.completions.create({ model, messages: hello })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.NotFoundError);
      expect(err).toMatchObject({ status: 404, code: "model_not_found", param: "model" });
    }
  });

  it("answers 400 with the offending parameter for bad input", async () => {
    const cases: [unknown, string | null][] = [
      [{ model: "offline", messages: [] }, "messages"],
      [{ model: "offline" }, "messages"],
      [{ messages: hello }, "model"],
      [{ model: "offline", messages: [{ role: "wizard", content: "hi" }] }, "messages.0.role"],
      [
        {
          model: "offline",
          messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://x" } }] }],
        },
        "messages.0.content",
      ],
      [{ model: "offline", messages: hello, n: 3 }, "n"],
      [{ model: "offline", messages: hello, temperature: 9 }, "temperature"],
      [{ model: "offline", messages: [{ role: "tool", content: "orphan" }] }, "messages.0.tool_call_id"],
      ["{broken json", null],
    ];
    for (const [body, param] of cases) {
      const r = await raw(body, key);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.type).toBe("invalid_request_error");
      if (param) expect(r.body.error.param).toBe(param);
    }
    await expect(clientWith(key).chat.completions.create({ model: "offline", messages: [] })).rejects.toBeInstanceOf(
      OpenAI.BadRequestError,
    );
  });

  it("answers 401 on GET /v1/models without a key", async () => {
    const res = await SELF.fetch(`${BASE}/v1/models`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { type: "invalid_request_error", code: "invalid_api_key" } });
  });
});
