// A safety event as a table row: what was found where, what the policy did, and links to the
// conversation or swarm run it happened in. Events keep a redacted snippet, never the text.
import type { SafetyEvent } from "@hive/shared/api-client";
import { Link } from "../../router/link";
import { numeric } from "../../ui/data-table";
import { TimeCell } from "../../ui/time";
import { STAGE_TITLES } from "./policy-edit";

const ACTION_TONE = { allow: "tone-neutral", flag: "tone-warn", redact: "tone-warn", block: "tone-bad" } as const;

function Where({ event }: { event: SafetyEvent }) {
  const { agent_id: agentId, conversation_id: conversationId, run_id: runId } = event;
  return (
    <>
      {conversationId && agentId ? (
        <Link to={`/agent/${encodeURIComponent(agentId)}/chat/${encodeURIComponent(conversationId)}`}>
          Conversation
        </Link>
      ) : conversationId ? (
        <code>{conversationId}</code>
      ) : null}
      {runId ? <Link to={`/swarm/${encodeURIComponent(runId)}`}>Swarm run</Link> : null}
      {!conversationId && !runId && agentId ? <Link to={`/agent/${encodeURIComponent(agentId)}`}>Agent</Link> : null}
    </>
  );
}

export const EVENT_COLUMNS = ["Time", "Stage", "Detector", "Action", numeric("Score"), "Surface", "Snippet", "Where"];

export function EventRow({ event: e }: { event: SafetyEvent }) {
  return (
    <tr data-testid="safety-event-row">
      <TimeCell iso={e.created_at} />
      <td>{STAGE_TITLES[e.stage]}</td>
      <th scope="row">
        {e.detector}
        <span className="cell-note">{e.category}</span>
      </th>
      <td>
        <span className={`pill ${ACTION_TONE[e.action]}`}>{e.action}</span>
      </td>
      <td className="num">{e.score.toFixed(2)}</td>
      <td>
        {e.surface}
        <span className="cell-note">{e.source}</span>
      </td>
      <td>{e.snippet ? <code className="event-snippet">{e.snippet}</code> : <span className="muted">none</span>}</td>
      <td>
        <Where event={e} />
      </td>
    </tr>
  );
}
