import { describe, expect, it } from "vitest";
import { embedLocal, LocalEmbedder } from "../../worker/core/providers/local-embedder";
import type { AiRunner } from "../../worker/core/providers/workers-ai";
import { WorkersAiEmbedder } from "../../worker/core/providers/workers-ai-embedder";

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

describe("LocalEmbedder", () => {
  const embedder = new LocalEmbedder();

  it("has the dimension of bge-small and returns one unit vector per text", async () => {
    expect(embedder.dimensions).toBe(384);
    const vectors = await embedder.embed(["Durable Objects keep state", "", "the and of"]);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(384);
      expect(norm(v)).toBeCloseTo(1, 6);
      expect(v.every(Number.isFinite)).toBe(true);
    }
  });

  it("is deterministic across calls and instances", async () => {
    const text = "Vectorize stores embeddings for semantic search.";
    const [a] = await embedder.embed([text]);
    const [b] = await new LocalEmbedder().embed([text]);
    expect(a).toEqual(b);
    expect(embedLocal(text)).toEqual(a);
  });

  it("scores related texts above unrelated ones", async () => {
    const [query, related, paraphrase, unrelated] = await embedder.embed([
      "How do I reset my password?",
      "To reset a forgotten password, open the login page and choose 'Reset password'.",
      "Passwords can be reset from the login screen.",
      "Quarterly revenue grew by twelve percent in the northern region.",
    ]);
    const s = (v: number[] | undefined) => dot(query!, v!);
    expect(s(related)).toBeGreaterThan(s(unrelated) + 0.2);
    expect(s(paraphrase)).toBeGreaterThan(s(unrelated) + 0.2);
  });

  it("treats inflections, case and accents as the same word", async () => {
    const [a, b, c] = await embedder.embed(["Indexing documents", "indexed document", "Cafés RÉSUMÉ"]);
    const [d] = await embedder.embed(["cafe resume"]);
    expect(dot(a!, b!)).toBeGreaterThan(0.8);
    expect(dot(c!, d!)).toBeGreaterThan(0.8);
  });

  it("gives partial credit for a misspelling through character n-grams", async () => {
    const [right, typo, other] = await embedder.embed(["embedding", "embeding", "kubernetes"]);
    expect(dot(right!, typo!)).toBeGreaterThan(0.3);
    expect(dot(right!, typo!)).toBeGreaterThan(dot(right!, other!) + 0.3);
  });
});

describe("WorkersAiEmbedder", () => {
  function fakeAi(dimensions: number) {
    const calls: { model: string; inputs: Record<string, unknown> }[] = [];
    const ai: AiRunner = {
      async run(model, inputs) {
        calls.push({ model, inputs });
        const text = inputs.text as string[];
        return {
          shape: [text.length, dimensions],
          data: text.map((t) => Array.from({ length: dimensions }, (_, i) => t.length + i)),
        };
      },
    };
    return { ai, calls };
  }

  it("batches texts in groups of 100 and keeps their order", async () => {
    const { ai, calls } = fakeAi(384);
    const embedder = new WorkersAiEmbedder(ai);
    const texts = Array.from({ length: 250 }, (_, i) => "x".repeat(i + 1));
    const vectors = await embedder.embed(texts);
    expect(calls.map((c) => (c.inputs.text as string[]).length)).toEqual([100, 100, 50]);
    expect(calls.every((c) => c.model === "@cf/baai/bge-small-en-v1.5")).toBe(true);
    expect(vectors).toHaveLength(250);
    expect(vectors.map((v) => v[0])).toEqual(texts.map((t) => t.length));
  });

  it("knows the dimensions of the bge family and calls the configured model", async () => {
    const { ai, calls } = fakeAi(768);
    const embedder = new WorkersAiEmbedder(ai, "@cf/baai/bge-base-en-v1.5");
    expect(embedder.dimensions).toBe(768);
    const [v] = await embedder.embed(["hello"]);
    expect(v).toHaveLength(768);
    expect(calls[0]?.model).toBe("@cf/baai/bge-base-en-v1.5");
  });

  it("makes no call for an empty input", async () => {
    const { ai, calls } = fakeAi(384);
    expect(await new WorkersAiEmbedder(ai).embed([])).toEqual([]);
    expect(calls).toHaveLength(0);
  });
});
