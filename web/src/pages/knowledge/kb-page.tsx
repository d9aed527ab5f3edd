// /knowledge/:id: one knowledge base: its settings, uploads with progress, and its documents.
import { useCallback, useState } from "react";
import { api } from "../../api/client";
import { Page } from "../../layout/page";
import { navigate } from "../../router/history";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { ConfirmButton } from "../../ui/confirm-button";
import { ErrorPanel } from "../../ui/error-panel";
import { Time } from "../../ui/time";
import { useAction } from "../../ui/use-action";
import { useApi } from "../../ui/use-api";
import { DocumentsPanel } from "./documents-panel";
import { UploadPanel } from "./upload-panel";

export function KnowledgeBasePage({ kbId }: { kbId: string }) {
  // Bumped when a document is added, indexed or deleted: the counts and the list reload.
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  const kb = useApi((signal) => api.knowledge.get(kbId, { signal }), [kbId, version]);
  const remove = useAction(async () => {
    await api.knowledge.delete(kbId);
    navigate("/knowledge");
  });

  if (kb.error && !kb.data) {
    return (
      <Page title="Knowledge base">
        <ErrorPanel title="Could not load the knowledge base" error={kb.error} onRetry={kb.reload} />
      </Page>
    );
  }
  const data = kb.data;
  return (
    <Page
      title={data?.name ?? "Knowledge base"}
      lead={data?.description || undefined}
      actions={
        <>
          <Link to={pathOf("knowledge", kbId, "search")} className="button">
            Search
          </Link>
          <ConfirmButton label="Delete" question="Delete it with every document?" confirmLabel="Delete knowledge base" disabled={remove.busy} onConfirm={() => void remove.run()} />
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
            <dt>Created</dt>
            <dd>
              <Time iso={data.created_at} />
            </dd>
          </dl>
        </section>
      ) : (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      <UploadPanel kbId={kbId} onDocumentsChanged={changed} />
      <DocumentsPanel kbId={kbId} version={version} onChanged={changed} />
    </Page>
  );
}
