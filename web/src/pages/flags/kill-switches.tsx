// The platform's kill switches (inference, ingestion). Off stops the capability everywhere
// within seconds: chat answers in degraded mode, uploads wait in the queue.

import type { FlagDefinition, FlagList, KillSwitch } from "@hive/shared/api-client";
import { useMutation } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { InlineError } from "../../ui/inline-error";
import { SwitchButton } from "./switch-button";

function definitionFor(ks: KillSwitch, existing: FlagDefinition | undefined, on: boolean): FlagDefinition {
  // Keeps a rollout or targeting someone set up; a first toggle turns it off for everyone.
  if (existing) return { ...existing, enabled: on, kill_switch: true };
  return {
    description: ks.description,
    enabled: on,
    rollout_percentage: 100,
    variants: [],
    kill_switch: true,
    targeting: {},
  };
}

/** Whom a partly thrown switch stops, in words: the switch itself only says on for everyone or not. */
function scopeText(off: NonNullable<KillSwitch["off_for"]>): string {
  const who = [
    off.workspaces ? `${off.workspaces.length} workspace${off.workspaces.length === 1 ? "" : "s"}` : null,
    off.roles ? `the roles ${off.roles.join(", ")}` : null,
  ].filter(Boolean);
  const target = who.length > 0 ? who.join(" and ") : "everyone";
  const share = off.rollout_percentage < 100 ? `${off.rollout_percentage}% of ${target}` : target;
  return `Off for ${share}; on for everyone else.`;
}

function KillSwitchRow({ ks, existing }: { ks: KillSwitch; existing: FlagDefinition | undefined }) {
  const toggle = useMutation({
    mutationFn: () => api.flags.save(ks.key, definitionFor(ks, existing, !ks.on)),
    meta: { invalidates: [queryKeys.flags.all] },
  });
  const label = ks.key.charAt(0).toUpperCase() + ks.key.slice(1);
  return (
    <li className="kill-switch" data-testid={`kill-switch-${ks.key}`}>
      <div>
        <strong>{label}</strong>
        <p className="muted small">{ks.description}</p>
        {ks.off_for && !ks.off_for.everyone ? (
          <p className="small" data-testid={`kill-switch-${ks.key}-scope`}>
            {scopeText(ks.off_for)}
          </p>
        ) : null}
        <InlineError error={toggle.error} />
      </div>
      <SwitchButton label={label} on={ks.on} busy={toggle.isPending} onToggle={() => toggle.mutate()} />
    </li>
  );
}

export function KillSwitches({ list }: { list: FlagList }) {
  return (
    <section className="panel" aria-labelledby="kill-switches-heading">
      <h2 id="kill-switches-heading">Kill switches</h2>
      <ul className="kill-switches">
        {list.kill_switches.map((ks) => (
          <KillSwitchRow key={ks.key} ks={ks} existing={list.data.find((f) => f.key === ks.key)?.definition} />
        ))}
      </ul>
    </section>
  );
}
