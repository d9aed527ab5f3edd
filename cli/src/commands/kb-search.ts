// `hive kb search <kb> "query"`: hits as a table, best first, with each retriever's score and
// the citation (document, chunk, character offsets) an agent would give.
import {
  SEARCH_MODES,
  type SearchHit,
  type SearchMode,
  type SearchRequest,
  type SearchResponse,
} from "@hive/shared/api-client";
import { CliError, type CommandContext, EXIT } from "../command";
import { integerOption } from "../options";
import type { Output } from "../output/output";
import { renderTable } from "../output/table";

const SNIPPET_CHARS = 100;

const list = (v: unknown) =>
  (Array.isArray(v) ? v.map(String) : [])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);

export function searchRequest(ctx: CommandContext, query: string): SearchRequest {
  const mode = typeof ctx.values.mode === "string" ? ctx.values.mode : "hybrid";
  if (!(mode in SEARCH_MODES))
    throw new CliError(`--mode must be one of ${Object.keys(SEARCH_MODES).join(", ")}`, EXIT.USAGE);
  const topK = integerOption(ctx.values, "top-k", { min: 1 }) ?? 10;
  const tags = list(ctx.values.tag);
  const docs = list(ctx.values.doc);
  return {
    query,
    mode: mode as SearchMode,
    top_k: topK,
    filters: { ...(tags.length ? { tags } : {}), ...(docs.length ? { document_ids: docs } : {}) },
  };
}

/** The snippet on one line, its matched terms styled (bold on a terminal), cut to a table-friendly length. */
function snippet(out: Output, hit: SearchHit): string {
  const { text, highlights } = hit.snippet;
  let line = "";
  let at = 0;
  for (const h of [...highlights].sort((a, b) => a.start - b.start)) {
    if (h.start < at || at >= SNIPPET_CHARS) continue;
    line += text.slice(at, h.start) + out.style("bold", text.slice(h.start, h.end));
    at = h.end;
  }
  line += text.slice(at, Math.max(at, SNIPPET_CHARS));
  const flat = line.replace(/\s+/g, " ").trim();
  return text.length > SNIPPET_CHARS ? `${flat}…` : flat;
}

const score = (n: number | null) => (n === null ? "-" : n.toFixed(3));

export function printSearch(ctx: CommandContext, result: SearchResponse): void {
  const { out } = ctx;
  if (result.data.length === 0) {
    out.line("No hits.");
  } else {
    const rows = result.data.map((h, i) => [
      String(i + 1),
      h.score.toFixed(4),
      score(h.scores.lexical),
      score(h.scores.vector),
      h.citation.document_name,
      `${h.citation.chunk_id} ${h.citation.start_offset}-${h.citation.end_offset}`,
      snippet(out, h),
    ]);
    out.line(renderTable(["#", "SCORE", "LEXICAL", "VECTOR", "DOCUMENT", "CHUNK CHARS", "SNIPPET"], rows));
  }
  out.error(
    `${result.mode} search, ${result.data.length} ${result.data.length === 1 ? "hit" : "hits"} in ${Math.round(result.took_ms)} ms${result.reranked ? ", reranked" : ""}${result.degraded ? ", degraded (a retriever failed)" : ""}`,
  );
}
