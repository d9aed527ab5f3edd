// The knowledge_search slot. The knowledge feature registers a searcher at module load
// (`registerKnowledgeSearcher`); until one is registered the tool is not offered to models at
// all, rather than answering with invented passages.
import { z } from "zod";
import type { Config } from "../core/config";
import { citationFor } from "../core/providers/grounding";
import type { Citation, ContextPassage } from "../core/providers/types";
import { defineTool, ToolError } from "./types";

export interface KnowledgePassage extends ContextPassage {
  score?: number;
  /** The window of the passage that best matches the query (what a citation quotes). */
  snippet?: string;
}

export interface KnowledgeSearchRequest {
  env: Env;
  config: Config;
  workspaceId: string;
  knowledgeBaseIds: readonly string[];
  query: string;
  topK: number;
  signal: AbortSignal;
}

export type KnowledgeSearcher = (request: KnowledgeSearchRequest) => Promise<KnowledgePassage[]>;

let searcher: KnowledgeSearcher | undefined;

/** Called once by the knowledge feature at module load; `undefined` unregisters. */
export function registerKnowledgeSearcher(impl: KnowledgeSearcher | undefined): void {
  searcher = impl;
}

export const knowledgeSearchAvailable = () => searcher !== undefined;

/** Searches the knowledge bases with the registered searcher; no searcher, no passages. */
export async function searchKnowledgeBases(request: KnowledgeSearchRequest): Promise<KnowledgePassage[]> {
  if (!searcher || request.knowledgeBaseIds.length === 0) return [];
  return searcher(request);
}

/** Citations of search results, numbered as they are listed ([1] first). */
export const passageCitations = (passages: readonly KnowledgePassage[]): Citation[] =>
  passages.flatMap((p, i) => citationFor(p, i + 1, p.snippet) ?? []);

export const knowledgeSearchTool = defineTool({
  name: "knowledge_search",
  description: "Searches the knowledge bases attached to this agent and returns the most relevant passages with ids to cite.",
  parameters: z.object({
    query: z.string().min(1).max(1000),
    top_k: z.number().int().min(1).max(20).default(5),
  }),
  sideEffects: false,
  async run({ query, top_k }, ctx) {
    if (!searcher) throw new ToolError("Knowledge search is not available", "unavailable");
    if (ctx.knowledgeBaseIds.length === 0) throw new ToolError("This agent has no knowledge bases attached", "unavailable");
    const passages = await searcher({
      env: ctx.env,
      config: ctx.config,
      workspaceId: ctx.workspaceId,
      knowledgeBaseIds: ctx.knowledgeBaseIds,
      query,
      topK: top_k,
      signal: ctx.signal,
    });
    const content = passages.length
      ? passages.map((p, i) => `[${i + 1}] (id ${p.id}${p.source ? `, ${p.source}` : ""}) ${p.text}`).join("\n\n")
      : "No matching passages.";
    return { content, citations: passageCitations(passages), meta: { count: passages.length } };
  },
});
