// An agent's versions, newest first, each restorable: rollback stores a new version equal to
// the chosen one, so history is never rewritten.
import type { Agent } from "@hive/shared/api-client";
import { api } from "../../api";
import { ConfirmButton } from "../../ui/confirm-button";
import { useCursorPager } from "../../ui/cursor-pager";
import { errorText } from "../../ui/error-text";
import { Pager } from "../../ui/pager";
import { Time } from "../../ui/time";
import { useAction } from "../../ui/use-action";
import { useApi } from "../../ui/use-api";
import { AgentFacts } from "./agent-facts";

export function VersionsPanel({ agent, onRolledBack }: { agent: Agent; onRolledBack: (agent: Agent) => void }) {
  const pager = useCursorPager();
  // Reloads whenever the agent's version moves (an edit or a rollback).
  const versions = useApi((signal) => api.agents.versions(agent.id, { limit: 10, cursor: pager.cursor }, { signal }), [agent.id, agent.version, pager.cursor]);
  const rollback = useAction(async (version: number) => {
    const updated = await api.agents.rollback(agent.id, version, { expected_version: agent.version });
    pager.reset();
    onRolledBack(updated);
  });

  return (
    <section className="panel" aria-labelledby="versions-heading">
      <h2 id="versions-heading">Version history</h2>
      {rollback.error ? (
        <p className="field-error" role="alert">
          Rollback failed: {errorText(rollback.error)}
        </p>
      ) : null}
      {versions.error ? <p className="field-error">Could not load versions: {errorText(versions.error)}</p> : null}
      <ol className="version-list">
        {(versions.data?.data ?? []).map((v) => (
          <li key={v.version} data-testid="agent-version">
            <div className="version-head">
              <strong>Version {v.version}</strong>
              {v.current ? <span className="pill tone-ok">current</span> : null}
              <span className="muted">
                <Time iso={v.created_at} />
              </span>
              {!v.current && agent.can_edit ? (
                <ConfirmButton
                  label={`Roll back to v${v.version}`}
                  question={`Store version ${agent.version + 1} with the configuration of v${v.version}?`}
                  confirmLabel="Roll back"
                  disabled={rollback.busy}
                  onConfirm={() => void rollback.run(v.version)}
                />
              ) : null}
            </div>
            <details>
              <summary>Configuration</summary>
              <AgentFacts definition={v.definition} />
            </details>
          </li>
        ))}
      </ol>
      <Pager pager={pager} nextCursor={versions.data?.next_cursor} label="Version" />
    </section>
  );
}
