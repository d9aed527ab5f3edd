// An agent's versions, newest first, each restorable: rollback stores a new version equal to
// the chosen one, so history is never rewritten. Its page is in the address (`?versions=`).

import type { Agent } from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { updateSearch } from "../../router/search-params";
import { ConfirmButton } from "../../ui/confirm-button";
import { useCursorPager } from "../../ui/cursor-pager";
import { errorText } from "../../ui/error-text";
import { Pager } from "../../ui/pager";
import { QueryState } from "../../ui/query-state";
import { Time } from "../../ui/time";
import { AgentFacts } from "./agent-facts";

export function VersionsPanel({ agent }: { agent: Agent }) {
  const pager = useCursorPager("versions");
  const params = { limit: 10, cursor: pager.cursor };
  const versions = useQuery(queries.agentVersions(agent.id, params));
  // The agent, its versions and the lists showing its version all move on.
  const rollback = useMutation({
    mutationFn: (version: number) => api.agents.rollback(agent.id, version, { expected_version: agent.version }),
    onSuccess: () => updateSearch({ [pager.param]: null }),
    meta: { invalidates: [queryKeys.agents.all] },
  });

  return (
    <section className="panel" aria-labelledby="versions-heading">
      <h2 id="versions-heading">Version history</h2>
      {rollback.error ? (
        <p className="field-error" role="alert">
          Rollback failed: {errorText(rollback.error)}
        </p>
      ) : null}
      <QueryState query={versions} errorTitle="Could not load versions" compact />
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
                  disabled={rollback.isPending}
                  onConfirm={() => rollback.mutate(v.version)}
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
