// /knowledge/:id/search: what retrieval returns for a query, as an agent would be given it.
import { useId, useState, type FormEvent } from "react";
import { SEARCH_MODES, type SearchMode, type SearchRequest, type SearchResponse } from "@hive/shared/api-client";
import { api } from "../../api";
import { Page } from "../../layout/page";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { errorText, fieldErrors } from "../../ui/error-text";
import { Field } from "../../ui/field";
import { useAction } from "../../ui/use-action";
import { useApi } from "../../ui/use-api";
import { SearchHitView } from "./search-hit";

export function SearchPage({ kbId }: { kbId: string }) {
  const id = useId();
  const kb = useApi((signal) => api.knowledge.get(kbId, { signal }), [kbId]);
  // Documents to filter on: the first 100 ready ones.
  const docs = useApi((signal) => api.knowledge.documents(kbId, { limit: 100, status: "ready" }, { signal }), [kbId]);
  const [query, setQuery] = useState("");
  const [mode, setMode] = useState<SearchMode>("hybrid");
  const [topK, setTopK] = useState("10");
  const [tags, setTags] = useState("");
  const [documentIds, setDocumentIds] = useState<string[]>([]);
  const [result, setResult] = useState<{ request: SearchRequest; response: SearchResponse } | null>(null);
  const search = useAction(async (request: SearchRequest) => setResult({ request, response: await api.knowledge.search(kbId, request) }));
  const fields = fieldErrors(search.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const tagList = tags.split(",").map((t) => t.trim()).filter(Boolean);
    const filters = { ...(tagList.length ? { tags: tagList } : {}), ...(documentIds.length ? { document_ids: documentIds } : {}) };
    void search.run({ query, mode, top_k: Number(topK), filters });
  };

  const name = kb.data?.name ?? "knowledge base";
  return (
    <Page
      title={`Search ${name}`}
      lead={
        <>
          The passages an agent would retrieve, with the score each retriever gave them. <Link to={pathOf("knowledge", kbId)}>Back to {name}</Link>
        </>
      }
    >
      <section className="panel">
        <form className="form" onSubmit={submit} role="search">
          <Field id={`${id}-query`} label="Query" error={fields.query}>
            <input id={`${id}-query`} className="input" type="search" required maxLength={2000} value={query} onChange={(e) => setQuery(e.target.value)} />
          </Field>
          <div className="field-row">
            <Field id={`${id}-mode`} label="Mode" error={fields.mode}>
              <select id={`${id}-mode`} className="input" value={mode} onChange={(e) => setMode(e.target.value as SearchMode)}>
                {(Object.keys(SEARCH_MODES) as SearchMode[]).map((m) => (
                  <option key={m} value={m}>
                    {SEARCH_MODES[m]}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={`${id}-top-k`} label="Results (top k)" error={fields.top_k}>
              <input id={`${id}-top-k`} className="input" type="number" min={1} max={50} required value={topK} onChange={(e) => setTopK(e.target.value)} />
            </Field>
            <Field id={`${id}-tags`} label="Only documents tagged" hint="Comma-separated; any of them" error={fields["filters.tags"]}>
              <input id={`${id}-tags`} className="input" value={tags} onChange={(e) => setTags(e.target.value)} />
            </Field>
          </div>
          {docs.data && docs.data.data.length > 1 ? (
            <Field id={`${id}-docs`} label="Only these documents" hint="None selected: all of them" error={fields["filters.document_ids"]}>
              <select
                id={`${id}-docs`}
                className="input"
                multiple
                size={Math.min(6, docs.data.data.length)}
                value={documentIds}
                onChange={(e) => setDocumentIds([...e.target.selectedOptions].map((o) => o.value))}
              >
                {docs.data.data.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="button" disabled={search.busy}>
              {search.busy ? "Searching…" : "Search"}
            </button>
          </div>
        </form>
      </section>
      {search.error && Object.keys(fields).length === 0 ? (
        <section className="panel panel-error" role="alert">
          <p>{errorText(search.error)}</p>
        </section>
      ) : null}
      {result ? (
        <section className="panel" aria-labelledby={`${id}-results`}>
          <h2 id={`${id}-results`}>
            {result.response.data.length} {result.response.data.length === 1 ? "hit" : "hits"} for “{result.request.query}”
          </h2>
          <p className="muted small" data-testid="search-meta">
            {result.response.mode} search in {Math.round(result.response.took_ms)} ms
            {result.response.reranked ? ", reranked" : ""}
            {result.response.degraded ? (
              <>
                {" "}
                <span className="pill tone-warn" title="A retriever failed; hybrid search answered with the other one">
                  degraded
                </span>
              </>
            ) : null}
          </p>
          {result.response.data.length === 0 ? <p>Nothing matched. Try other words, another mode, or fewer filters.</p> : null}
          <ol className="hits">
            {result.response.data.map((hit, i) => (
              <SearchHitView key={hit.chunk_id} hit={hit} position={i + 1} />
            ))}
          </ol>
        </section>
      ) : null}
    </Page>
  );
}
