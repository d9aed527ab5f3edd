// The caller's conversations (all, or one agent's), newest first: open one to read and
// continue it, or delete it with everything stored for it. Its page is in the address
// (`?conversations=`, apart from the other list on an agent's page).

import type { ConversationStatus } from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { useCursorPager } from "../../ui/cursor-pager";
import { ACTIONS } from "../../ui/data-table";
import { DeleteError, DeleteRowButton } from "../../ui/list-delete";
import { PagedTable } from "../../ui/list-paged";
import { QueryState } from "../../ui/query-state";
import { TimeCell } from "../../ui/time";

const STATUS_TONE: Record<ConversationStatus, string> = {
  idle: "tone-neutral",
  running: "tone-ok",
  awaiting_approval: "tone-warn",
  cancelled: "tone-neutral",
  error: "tone-bad",
  blocked: "tone-bad",
};

interface ConversationListProps {
  agentId?: string;
  /** Agent names by id, to label rows when the list spans agents. */
  agentNames?: ReadonlyMap<string, string>;
}

export function ConversationList({ agentId, agentNames }: ConversationListProps) {
  const pager = useCursorPager("conversations");
  const params = { limit: 20, cursor: pager.cursor, ...(agentId ? { agent_id: agentId } : {}) };
  const list = useQuery(queries.conversations(params));
  const remove = useMutation({
    mutationFn: (id: string) => api.conversations.delete(id),
    meta: { invalidates: [queryKeys.conversations.all] },
  });

  return (
    <>
      <DeleteError remove={remove} />
      <QueryState query={list} errorTitle="Could not load conversations" compact />
      <PagedTable
        page={list.data}
        pager={pager}
        label="Conversation"
        empty={<p className="muted">No conversations yet.</p>}
        columns={["Conversation", ...(agentId ? [] : ["Agent"]), "Status", "Last activity", ACTIONS]}
        row={(c) => (
          <tr key={c.id} data-testid="conversation-row">
            <th scope="row">
              <Link to={pathOf("agent", c.agent_id, "chat", c.id)}>{c.title || "Untitled conversation"}</Link>
            </th>
            {agentId ? null : (
              <td>
                <Link to={pathOf("agent", c.agent_id)}>{agentNames?.get(c.agent_id) ?? c.agent_id}</Link>
              </td>
            )}
            <td>
              <span className={`pill ${STATUS_TONE[c.status]}`}>{c.status.replace("_", " ")}</span>
            </td>
            <TimeCell iso={c.updated_at} />
            <td className="row-actions">
              <DeleteRowButton remove={remove} id={c.id} question="Delete it and all its messages?" />
            </td>
          </tr>
        )}
      />
    </>
  );
}
