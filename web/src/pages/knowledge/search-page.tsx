// /knowledge/:id/search: what retrieval returns for a query, as an agent would be given it. The
// search is in the address and runs as a query: reload, back and a shared link show its hits.

import { type KnowledgeDocument, SEARCH_MODES, type SearchMode } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { updateSearch, useSearchParams } from "../../router/search-params";
import { labelled, TextField } from "../../ui/controls";
import { errorText, fieldErrors } from "../../ui/error-text";
import { Field } from "../../ui/field";
import { ChoiceField, ChoiceOptions, named } from "../../ui/field-choice";
import { submitted } from "../../ui/form-panel";
import { SubmitRow } from "../../ui/submit-row";
import { SearchHitView } from "./search-hit";
import { draftFromSearch, draftToSearch, requestOf, type SearchDraft } from "./search-query";

const DOC_PARAMS = { limit: 100, status: "ready" } as const;

interface SearchFormProps {
  initial: SearchDraft;
  /** Documents to filter on: the first 100 ready ones. */
  docs: readonly KnowledgeDocument[];
  fields: Record<string, string>;
  searching: boolean;
  onSearch: (draft: SearchDraft) => void;
}

function SearchForm({ initial, docs, fields, searching, onSearch }: SearchFormProps) {
  const id = useId();
  const [d, setDraft] = useState(initial);
  const at = labelled(id, fields);
  const set = <K extends keyof SearchDraft>(key: K, value: SearchDraft[K]) => setDraft((x) => ({ ...x, [key]: value }));
  return (
    <search>
      <form className="form" onSubmit={(event) => submitted(event, () => onSearch(d))}>
        <TextField
          {...at("query", "Query")}
          type="search"
          required
          maxLength={2000}
          value={d.query}
          onValue={(v) => set("query", v)}
        />
        <div className="field-row">
          <ChoiceField
            {...at("mode", "Mode")}
            choices={Object.keys(SEARCH_MODES) as SearchMode[]}
            option={(m) => [m, SEARCH_MODES[m]]}
            value={d.mode}
            onValue={(v) => set("mode", v as SearchMode)}
          />
          <TextField
            {...at("top-k", "Results (top k)", "top_k")}
            type="number"
            min={1}
            max={50}
            required
            value={d.topK}
            onValue={(v) => set("topK", v)}
          />
          <TextField
            {...at("tags", "Only documents tagged", "filters.tags")}
            hint="Comma-separated; any of them"
            value={d.tags}
            onValue={(v) => set("tags", v)}
          />
        </div>
        {docs.length > 1 ? (
          <Field
            id={`${id}-docs`}
            label="Only these documents"
            hint="None selected: all of them"
            error={fields["filters.document_ids"]}
          >
            <select
              id={`${id}-docs`}
              className="input"
              multiple
              size={Math.min(6, docs.length)}
              value={d.documentIds}
              onChange={(e) =>
                set(
                  "documentIds",
                  [...e.target.selectedOptions].map((o) => o.value),
                )
              }
            >
              <ChoiceOptions choices={docs} option={named} />
            </select>
          </Field>
        ) : null}
        {/* The API's message is shown below the form (with the results), when no field carries it. */}
        <SubmitRow label="Search" busyLabel="Searching…" mutation={{ isPending: searching, error: null }} />
      </form>
    </search>
  );
}

export function SearchPage({ kbId }: { kbId: string }) {
  const id = useId();
  const kb = useQuery(queries.knowledgeBase(kbId));
  const docs = useQuery(queries.documents(kbId, DOC_PARAMS));
  const applied = draftFromSearch(useSearchParams());
  const request = requestOf(applied);
  const search = useQuery({
    ...queries.search(kbId, request),
    enabled: applied.query !== "",
  });
  const fields = fieldErrors(search.error);
  // The same search again (nothing in the address changes) asks the API again.
  const run = (draft: SearchDraft) => {
    if (!updateSearch(draftToSearch(draft))) void search.refetch();
  };
  // Back to the address without a search: the last hits (kept while a new search loads) go.
  const result = applied.query ? search.data : undefined;

  const name = kb.data?.name ?? "knowledge base";
  return (
    <Page
      title={`Search ${name}`}
      lead={
        <>
          The passages an agent would retrieve, with the score each retriever gave them.{" "}
          <Link to={pathOf("knowledge", kbId)}>Back to {name}</Link>
        </>
      }
    >
      <section className="panel">
        {/* Back or forward to another search: the form starts again from it. */}
        <SearchForm
          key={JSON.stringify(applied)}
          initial={applied}
          docs={docs.data?.data ?? []}
          fields={fields}
          searching={search.isFetching}
          onSearch={run}
        />
      </section>
      {search.error && Object.keys(fields).length === 0 ? (
        <section className="panel panel-error" role="alert">
          <p>{errorText(search.error)}</p>
        </section>
      ) : null}
      {result ? (
        <section className="panel" aria-labelledby={`${id}-results`}>
          <h2 id={`${id}-results`}>
            {result.data.length} {result.data.length === 1 ? "hit" : "hits"} for “{applied.query}”
          </h2>
          <p className="muted small" data-testid="search-meta">
            {result.mode} search in {Math.round(result.took_ms)} ms
            {result.reranked ? ", reranked" : ""}
            {result.degraded ? (
              <>
                {" "}
                <span className="pill tone-warn" title="A retriever failed; hybrid search answered with the other one">
                  degraded
                </span>
              </>
            ) : null}
          </p>
          {result.data.length === 0 ? <p>Nothing matched. Try other words, another mode, or fewer filters.</p> : null}
          <ol className="hits">
            {result.data.map((hit, i) => (
              <SearchHitView key={hit.chunk_id} hit={hit} position={i + 1} />
            ))}
          </ol>
        </section>
      ) : null}
    </Page>
  );
}
