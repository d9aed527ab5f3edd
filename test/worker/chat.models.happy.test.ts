// Which models an agent's definition turns into: the chain ends in the offline model, unbound
// providers are skipped, and the paced `scripted` benchmark model exists only in development
// and test — in staging and production it is never built and raw /v1 ids cannot name it.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { AgentDefinition } from "../../worker/agents/schemas";
import { checkDefinition } from "../../worker/agents/service";
import { type Config, getConfig } from "../../worker/core/config";
import { createDb } from "../../worker/core/db";
import { generate } from "../../worker/core/providers/generate";
import { modelChain } from "../../worker/core/providers/model-chain";
import { PacedModel } from "../../worker/core/providers/paced-model";
import { rawModel } from "../../worker/openai/resolve";

const config = (over: Partial<Config> = {}): Config => ({ ...getConfig(env), ...over });

describe("model chain", () => {
  it("ends in the offline model and skips providers that are not bound", () => {
    const chain = modelChain(
      [
        { provider: "workers-ai", id: "@cf/meta/llama-3.1-8b-instruct" },
        { provider: "openai-compatible", id: "llama3.1" },
        { provider: "scripted", id: "3:1" },
      ],
      {},
      config(),
    );
    expect(chain.map((c) => c.label)).toEqual(["scripted:3:1", "offline:offline"]);
  });

  it("never builds the scripted model in staging or production", () => {
    for (const ENVIRONMENT of ["staging", "production"] as const) {
      const chain = modelChain([{ provider: "scripted", id: "3:1" }], {}, config({ ENVIRONMENT }));
      expect(chain.map((c) => c.label)).toEqual(["offline:offline"]);
      expect(rawModel("scripted:3:1", {}, config({ ENVIRONMENT }))).toBeNull();
    }
    expect(rawModel("scripted:3:1", {}, config({ ENVIRONMENT: "development" }))).toEqual({
      provider: "scripted",
      id: "3:1",
    });
  });

  it("refuses agent definitions naming the scripted model outside development and test", async () => {
    const definition = AgentDefinition.parse({ name: "paced", model: { provider: "scripted", id: "3:1" } });
    const db = createDb(env.DB);
    await expect(checkDefinition(db, config({ ENVIRONMENT: "production" }), "ws_x", definition)).rejects.toMatchObject({
      code: "UNPROCESSABLE",
    });
    await expect(
      checkDefinition(db, config({ ENVIRONMENT: "development" }), "ws_x", definition),
    ).resolves.toBeUndefined();
  });

  it("resolves raw model ids only to what this deployment can serve", () => {
    expect(rawModel("offline", {}, config())).toEqual({ provider: "offline", id: "offline" });
    expect(rawModel("@cf/meta/llama-3.1-8b-instruct", {}, config())).toBeNull();
    expect(rawModel("llama3.1", {}, config())).toBeNull();
    expect(
      rawModel("llama3.1", {}, config({ LLM_BASE_URL: "http://127.0.0.1:11434/v1", LLM_MODEL: "llama3.1" })),
    ).toEqual({ provider: "openai-compatible", id: "llama3.1" });
  });
});

describe("paced model", () => {
  it("emits its tokens on schedule and reports them as usage", async () => {
    const started = Date.now();
    const result = await generate(new PacedModel(5, 10), { messages: [{ role: "user", content: "go" }] });
    expect(result.text).toBe("tok0 tok1 tok2 tok3 tok4");
    expect(result.usage.outputTokens).toBe(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("stops when cancelled", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 25);
    const result = await generate(new PacedModel(100, 10), { messages: [], signal: controller.signal });
    expect(result.finishReason).toBe("cancelled");
    expect(result.usage.outputTokens).toBeLessThan(10);
  });
});
