// /knowledge/:id: one knowledge base: its settings, live ingestion counts, uploads with per-file
// results, pages added by URL, and its documents.
// An upload or a deletion invalidates the knowledge base's queries: its counts and documents.
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { QueryPage } from "../../layout/query-page";
import { navigate } from "../../router/history";
import { pathOf } from "../../router/match";
import { ConfirmMutation } from "../../ui/confirm-button";
import { ErrorPanel } from "../../ui/error-panel";
import { PageLink } from "../../ui/page-link";
import { QueryState } from "../../ui/query-state";
import { Time } from "../../ui/time";
import { DocumentsPanel } from "./documents-panel";
import { FetchPanel } from "./fetch-panel";
import { IngestionPanel } from "./ingestion-panel";
import { UploadPanel } from "./upload-panel";

export function KnowledgeBasePage({ kbId }: { kbId: string }) {
  const kb = useQuery(queries.knowledgeBase(kbId));
  const remove = useMutation({
    mutationFn: () => api.knowledge.delete(kbId),
    onSuccess: () => navigate("/knowledge"),
    meta: { invalidates: [queryKeys.knowledge.lists] },
  });

  if (kb.error && !kb.data) {
    return <QueryPage title="Knowledge base" query={kb} errorTitle="Could not load the knowledge base" />;
  }
  const data = kb.data;
  return (
    <Page
      title={data?.name ?? "Knowledge base"}
      lead={data?.description || undefined}
      actions={
        <>
          <PageLink to={pathOf("knowledge", kbId, "search")} main>
            Search
          </PageLink>
          <ConfirmMutation
            label="Delete"
            question="Delete it with every document?"
            confirmLabel="Delete knowledge base"
            mutation={remove}
          />
        </>
      }
    >
      {remove.error ? <ErrorPanel title="Could not delete the knowledge base" error={remove.error} /> : null}
      {data ? (
        <section className="panel" aria-label="Settings">
          <dl className="facts">
            <dt>Documents</dt>
            <dd data-testid="kb-document-count">
              {data.document_count} ({data.chunk_count} chunks)
            </dd>
            <dt>Embedding model</dt>
            <dd>
              <code>{data.embedding_model}</code>
            </dd>
            <dt>Chunking</dt>
            <dd>
              up to {data.chunk_size} tokens per chunk, {data.chunk_overlap} tokens of overlap
            </dd>
            <dt>Web pages</dt>
            <dd>
              {data.refetch_interval_hours
                ? `re-fetched every ${data.refetch_interval_hours} h when changed`
                : "re-fetched on request"}
            </dd>
            <dt>Created</dt>
            <dd>
              <Time iso={data.created_at} />
            </dd>
          </dl>
        </section>
      ) : (
        <QueryState query={kb} errorTitle="Could not load the knowledge base" />
      )}
      <IngestionPanel kbId={kbId} />
      <UploadPanel kbId={kbId} />
      <FetchPanel kbId={kbId} />
      <DocumentsPanel kbId={kbId} />
    </Page>
  );
}
