// A knowledge search as search params (`?q=refund&mode=lexical&k=5&tags=faq&doc=doc_1`), so a
// reload, the back button or a shared link runs the same search again. Defaults stay out of the
// address.
import { SEARCH_MODES, type SearchMode, type SearchRequest } from "@hive/shared/api-client";
import type { SearchChange } from "../../router/search-params";

export interface SearchDraft {
  query: string;
  mode: SearchMode;
  topK: string;
  /** Comma-separated, as typed. */
  tags: string;
  documentIds: string[];
}

const DEFAULT_MODE: SearchMode = "hybrid";
const DEFAULT_TOP_K = "10";

const isMode = (m: string | null): m is SearchMode => m !== null && m in SEARCH_MODES;

export function draftFromSearch(params: URLSearchParams): SearchDraft {
  const mode = params.get("mode");
  return {
    query: params.get("q") ?? "",
    mode: isMode(mode) ? mode : DEFAULT_MODE,
    topK: params.get("k") ?? DEFAULT_TOP_K,
    tags: params.get("tags") ?? "",
    documentIds: params.getAll("doc"),
  };
}

export function draftToSearch(d: SearchDraft): SearchChange {
  return {
    q: d.query || null,
    mode: d.mode === DEFAULT_MODE ? null : d.mode,
    k: d.topK === DEFAULT_TOP_K ? null : d.topK,
    tags: d.tags.trim() || null,
    doc: d.documentIds,
  };
}

export function requestOf(d: SearchDraft): SearchRequest {
  const tagList = d.tags
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const filters = {
    ...(tagList.length ? { tags: tagList } : {}),
    ...(d.documentIds.length ? { document_ids: d.documentIds } : {}),
  };
  return { query: d.query, mode: d.mode, top_k: Number(d.topK), filters };
}
