import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/core/providers/errors";
import type { AiRunner } from "../../worker/core/providers/workers-ai";
import { WorkersAiEmbedder } from "../../worker/core/providers/workers-ai-embedder";

describe("WorkersAiEmbedder failures", () => {
  it("rejects a result with the wrong number of vectors or dimensions", async () => {
    const short: AiRunner = { run: async () => ({ shape: [1, 384], data: [Array(384).fill(0)] }) };
    await expect(new WorkersAiEmbedder(short).embed(["a", "b"])).rejects.toThrow(/malformed embeddings/);
    const narrow: AiRunner = { run: async () => ({ shape: [1, 3], data: [[1, 2, 3]] }) };
    const err = await new WorkersAiEmbedder(narrow).embed(["a"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).retryable).toBe(false);
  });

  it("wraps a binding failure in a retryable ProviderError naming the model", async () => {
    const failing: AiRunner = {
      run: async () => {
        throw new Error("InferenceUpstreamError: 3040: capacity temporarily exceeded");
      },
    };
    const err = await new WorkersAiEmbedder(failing).embed(["a"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).provider).toBe("workers-ai");
    expect((err as ProviderError).retryable).toBe(true);
    expect((err as Error).message).toContain("@cf/baai/bge-small-en-v1.5");
  });

  it("refuses a model whose dimensions it cannot know", () => {
    const ai: AiRunner = { run: async () => ({}) };
    expect(() => new WorkersAiEmbedder(ai, "@cf/unknown/embedder")).toThrow(ProviderError);
    expect(new WorkersAiEmbedder(ai, "@cf/unknown/embedder", 512).dimensions).toBe(512);
  });
});
