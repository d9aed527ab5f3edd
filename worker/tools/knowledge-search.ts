// The knowledge_search slot. The knowledge feature registers a searcher at module load
// (`registerKnowledgeSearcher`); until one is registered the tool is not offered to models at
// all, rather than answering with invented passages.
import { z } from "zod";
import type { Config } from "../core/config";
import { citationFor } from "../core/providers/grounding";
import type { Citation, ContextPassage } from "../core/providers/types";
import { withSpan } from "../core/trace/tracer";
import type { TurnGuard } from "../safety/turn-guard";
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

/**
 * The retrieval stage: every passage checked before a model reads it. A blocked passage is
 * replaced by the quarantine notice; a redacted one is passed redacted.
 */
export async function screenPassages(
  passages: readonly KnowledgePassage[],
  guard: TurnGuard | undefined,
): Promise<{ kept: KnowledgePassage[]; quarantined: Set<string> }> {
  const quarantined = new Set<string>();
  if (!guard) return { kept: [...passages], quarantined };
  return withSpan("retrieval.screen", { "liquid_hive.retrieval.candidates": passages.length }, async (span) => {
    const kept = await Promise.all(
      passages.map(async (p) => {
        const s = await guard.screen("retrieval", p.text);
        if (s.quarantined) quarantined.add(p.id);
        if (s.text === p.text) return p;
        // The snippet is a window of the original text: a changed passage is cited from its new text.
        const { snippet: _snippet, ...rest } = p;
        return { ...rest, text: s.text };
      }),
    );
    span.setAttribute("liquid_hive.retrieval.quarantined", quarantined.size);
    return { kept, quarantined };
  });
}

/** Citations of search results, numbered as they are listed ([1] first). */
export const passageCitations = (passages: readonly KnowledgePassage[]): Citation[] =>
  passages.flatMap((p, i) => citationFor(p, i + 1, p.snippet) ?? []);

export const knowledgeSearchTool = defineTool({
  name: "knowledge_search",
  description:
    "Searches the knowledge bases attached to this agent and returns the most relevant passages with ids to cite.",
  parameters: z.object({
    query: z.string().min(1).max(1000),
    top_k: z.number().int().min(1).max(20).default(5),
  }),
  sideEffects: false,
  untrustedOutput: true,
  async run({ query, top_k }, ctx) {
    if (!searcher) throw new ToolError("Knowledge search is not available", "unavailable");
    if (ctx.knowledgeBaseIds.length === 0)
      throw new ToolError("This agent has no knowledge bases attached", "unavailable");
    const passages = await searcher({
      env: ctx.env,
      config: ctx.config,
      workspaceId: ctx.workspaceId,
      knowledgeBaseIds: ctx.knowledgeBaseIds,
      query,
      topK: top_k,
      signal: ctx.signal,
    });
    const { kept, quarantined } = await screenPassages(passages, ctx.guard);
    const content = passages.length
      ? kept.map((p, i) => `[${i + 1}] (id ${p.id}${p.source ? `, ${p.source}` : ""}) ${p.text}`).join("\n\n")
      : "No matching passages.";
    // A quarantined passage keeps its number (the notice stands in its place) but is never cited.
    const cited = kept.filter((p) => !quarantined.has(p.id));
    return {
      content,
      citations: passageCitations(cited),
      meta: { count: passages.length, ...(quarantined.size ? { quarantined: quarantined.size } : {}) },
      ...(ctx.guard ? { screened: true } : {}),
    };
  },
});
