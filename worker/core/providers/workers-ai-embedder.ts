// Embeddings from Workers AI (`@cf/baai/bge-*`), batched to the binding's 100-texts-per-call limit.
import type { WORKERS_AI_EMBEDDING_MODELS } from "@hive/shared/api-types/knowledge";
import { ProviderError } from "./errors";
import type { Embedder } from "./types";
import { type AiRunner, isRecord, runAi, WORKERS_AI_PROVIDER } from "./workers-ai";

export const WORKERS_AI_BATCH = 100;

// Every model clients may pick (shared/api-types) needs its dimension here.
const KNOWN_DIMENSIONS: Readonly<Record<string, number>> = {
  "@cf/baai/bge-small-en-v1.5": 384,
  "@cf/baai/bge-base-en-v1.5": 768,
  "@cf/baai/bge-large-en-v1.5": 1024,
  "@cf/baai/bge-m3": 1024,
} satisfies Record<(typeof WORKERS_AI_EMBEDDING_MODELS)[number], number>;

export class WorkersAiEmbedder implements Embedder {
  readonly dimensions: number;

  constructor(
    private readonly ai: AiRunner,
    readonly model = "@cf/baai/bge-small-en-v1.5",
    dimensions?: number,
  ) {
    const known = dimensions ?? KNOWN_DIMENSIONS[model];
    if (!known)
      throw new ProviderError(WORKERS_AI_PROVIDER, `Unknown dimensions for embedding model ${model}`, {
        retryable: false,
      });
    this.dimensions = known;
  }

  async embed(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += WORKERS_AI_BATCH) {
      const batch = texts.slice(i, i + WORKERS_AI_BATCH);
      const result = await runAi(this.ai, this.model, { text: batch });
      out.push(...this.check(result, batch.length));
    }
    return out;
  }

  private check(result: unknown, expected: number): number[][] {
    const data = isRecord(result) ? result.data : undefined;
    const ok =
      Array.isArray(data) &&
      data.length === expected &&
      data.every(
        (row) => Array.isArray(row) && row.length === this.dimensions && row.every((x) => typeof x === "number"),
      );
    if (!ok) {
      throw new ProviderError(WORKERS_AI_PROVIDER, `Workers AI (${this.model}) returned malformed embeddings`, {
        retryable: false,
      });
    }
    return data as number[][];
  }
}
