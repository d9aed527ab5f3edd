// The caller's conversations (all, or one agent's), newest first: open one to read and
// continue it, or delete it with everything stored for it.
import type { Conversation, ConversationStatus } from "@hive/shared/api-client";
import { api } from "../../api";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { ConfirmButton } from "../../ui/confirm-button";
import { useCursorPager } from "../../ui/cursor-pager";
import { ACTIONS, DataTable } from "../../ui/data-table";
import { errorText } from "../../ui/error-text";
import { Pager } from "../../ui/pager";
import { Time } from "../../ui/time";
import { useAction } from "../../ui/use-action";
import { useApi } from "../../ui/use-api";

const STATUS_TONE: Record<ConversationStatus, string> = {
  idle: "tone-neutral",
  running: "tone-ok",
  awaiting_approval: "tone-warn",
  cancelled: "tone-neutral",
  error: "tone-bad",
};

interface ConversationListProps {
  agentId?: string;
  /** Agent names by id, to label rows when the list spans agents. */
  agentNames?: ReadonlyMap<string, string>;
}

export function ConversationList({ agentId, agentNames }: ConversationListProps) {
  const pager = useCursorPager();
  const list = useApi((signal) => api.conversations.list({ limit: 20, cursor: pager.cursor, ...(agentId ? { agent_id: agentId } : {}) }, { signal }), [agentId, pager.cursor]);
  const remove = useAction(async (c: Conversation) => {
    await api.conversations.delete(c.id);
    list.reload();
  });

  const rows = list.data?.data ?? [];
  return (
    <>
      {remove.error ? (
        <p className="field-error" role="alert">
          Could not delete: {errorText(remove.error)}
        </p>
      ) : null}
      {list.error ? <p className="field-error">Could not load conversations: {errorText(list.error)}</p> : null}
      {list.data && rows.length === 0 && !pager.hasPrevious ? <p className="muted">No conversations yet.</p> : null}
      {rows.length > 0 ? (
        <DataTable columns={["Conversation", ...(agentId ? [] : ["Agent"]), "Status", "Last activity", ACTIONS]}>
          {rows.map((c) => (
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
              <td>
                <Time iso={c.updated_at} />
              </td>
              <td className="row-actions">
                <ConfirmButton label="Delete" question="Delete it and all its messages?" confirmLabel="Delete" disabled={remove.busy} onConfirm={() => void remove.run(c)} />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <Pager pager={pager} nextCursor={list.data?.next_cursor} label="Conversation" />
    </>
  );
}
