// /knowledge: the workspace's knowledge bases; create one, open one, delete one. The page of
// the list is in the address.
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { useCursorPager } from "../../ui/cursor-pager";
import { ACTIONS, numeric } from "../../ui/data-table";
import { DeleteError, DeleteRowButton } from "../../ui/list-delete";
import { PagedTable } from "../../ui/list-paged";
import { ListPanel } from "../../ui/list-panel";
import { QueryState } from "../../ui/query-state";
import { NameCell } from "../../ui/table-cells";
import { Time } from "../../ui/time";
import { CreateKnowledgeBaseForm } from "./create-kb-form";

export function KnowledgePage() {
  const pager = useCursorPager();
  const params = { limit: 20, cursor: pager.cursor };
  const list = useQuery(queries.knowledgeBases(params));
  const remove = useMutation({
    mutationFn: (id: string) => api.knowledge.delete(id),
    meta: { invalidates: [queryKeys.knowledge.all] },
  });
  return (
    <Page
      title="Knowledge"
      lead="Give agents knowledge: upload documents, watch them being indexed, and search what agents retrieve."
    >
      <QueryState query={list} errorTitle="Could not load knowledge bases" />
      <ListPanel id="kb-list-heading" title="Knowledge bases" busy={list.isFetching}>
        <DeleteError remove={remove} />
        <PagedTable
          page={list.data}
          pager={pager}
          label="Knowledge base"
          empty={<p className="muted">No knowledge bases yet. Create one below, then upload documents to it.</p>}
          columns={["Name", numeric("Documents"), numeric("Chunks"), "Embedding model", "Chunking", "Created", ACTIONS]}
          row={(kb) => (
            <tr key={kb.id} data-testid="kb-row">
              <NameCell to={pathOf("knowledge", kb.id)} name={kb.name} note={kb.description} />
              <td className="num">{kb.document_count}</td>
              <td className="num">{kb.chunk_count}</td>
              <td>
                <code>{kb.embedding_model}</code>
              </td>
              <td>
                {kb.chunk_size} tokens, {kb.chunk_overlap} overlap
              </td>
              <td>
                <Time iso={kb.created_at} />
              </td>
              <td className="row-actions">
                <Link to={pathOf("knowledge", kb.id, "search")}>Search</Link>
                <DeleteRowButton
                  remove={remove}
                  id={kb.id}
                  question={`Delete ${kb.name} with its ${kb.document_count} documents?`}
                />
              </td>
            </tr>
          )}
        />
      </ListPanel>
      <section className="panel">
        <CreateKnowledgeBaseForm />
      </section>
    </Page>
  );
}
