// Retrieval for models that cannot call tools (the offline model, as primary or as the fallback
// after a configured model failed): the turn searches the agent's knowledge bases itself, with
// the same hybrid search knowledge_search runs, and hands the top passages to that model as
// `context`. Tool-capable models keep the tool path; this runs only when a model without tools
// is actually asked, and at most once per model call.
import { writeLog } from "../core/logger";
import { questionOf } from "../core/providers/extractive";
import type { TurnKnowledge } from "../core/providers/model-chain";
import type { ChatMessage } from "../core/providers/types";
import type { TurnGuard } from "../safety/turn-guard";
import { screenPassages, searchKnowledgeBases } from "../tools/knowledge-search";
import type { ToolContext } from "../tools/types";

export type { TurnKnowledge };

export type Retrieve = (messages: readonly ChatMessage[], signal: AbortSignal) => Promise<TurnKnowledge>;

/** Passages handed to the model: the offline model quotes at most three sentences from them. */
export const TURN_PASSAGES = 5;
const MAX_QUERY_CHARS = 1000;

/** Passages the guard quarantined are dropped here: a quoting model would quote the notice. */
export function turnRetriever(
  ctx: Pick<ToolContext, "env" | "config" | "workspaceId" | "knowledgeBaseIds">,
  guard?: TurnGuard,
): Retrieve {
  return async (messages, signal) => {
    if (ctx.knowledgeBaseIds.length === 0) return { passages: [], note: "no_knowledge_base" };
    const query = questionOf(messages).slice(0, MAX_QUERY_CHARS);
    if (!query.trim()) return { passages: [], note: "no_results" };
    try {
      const found = await searchKnowledgeBases({ ...ctx, query, topK: TURN_PASSAGES, signal });
      const { kept, quarantined } = await screenPassages(found, guard);
      const passages = kept.filter((p) => !quarantined.has(p.id));
      return passages.length ? { passages } : { passages: [], note: "no_results" };
    } catch (err) {
      // The answer can still say what happened; failing the whole turn would say less.
      writeLog("warn", "turn_retrieval_failed", {
        workspace: ctx.workspaceId,
        error: err instanceof Error ? err.message : String(err),
      });
      return { passages: [], note: "search_failed" };
    }
  };
}
