// The one editor for safety overrides, stages x detectors: the workspace's default policy (over
// the platform's) and an agent's own (over the workspace's). Every cell starts as "inherit" and
// says what it inherits when that is known. Without `onChange` it shows the policy read-only.
import {
  type EffectiveSafetyPolicy,
  SAFETY_ACTION_LABELS,
  SAFETY_DETECTOR_LABELS,
  SAFETY_STAGE_LABELS,
  type SafetyAction,
  type SafetyPolicy,
  safetyActions,
  safetyDetectors,
  safetyStages,
} from "@hive/shared/api-client";
import { DataTable } from "../../ui/data-table";
import "../../styles/safety.css";
import { parseThreshold, STAGE_TITLES, setEnabled, setRule } from "./policy-edit";

interface PolicyEditorProps {
  policy: SafetyPolicy;
  /** Absent: read-only. */
  onChange?: (next: SafetyPolicy) => void;
  /** What an unset cell means (null while unknown), and whose it is: "workspace", "platform default". */
  inherited: EffectiveSafetyPolicy | null;
  inheritFrom: string;
  /** Distinguishes two editors' control names, e.g. "Agent". */
  name: string;
}

const onOff = (on: boolean) => (on ? "on" : "off");

export function PolicyEditor({ policy, onChange, inherited, inheritFrom, name }: PolicyEditorProps) {
  const readOnly = !onChange;
  const edit = (next: SafetyPolicy) => onChange?.(next);
  return (
    <div className="policy-editor" data-testid="policy-editor">
      <DataTable columns={["Stage", "Checked", ...safetyDetectors()]}>
        {safetyStages().map((stage) => {
          const own = policy[stage];
          const base = inherited?.[stage];
          const inheritEnabled = base
            ? `Inherit from ${inheritFrom} (${onOff(base.enabled)})`
            : `Inherit from ${inheritFrom}`;
          return (
            <tr key={stage} data-testid="policy-stage" data-stage={stage}>
              <th scope="row">
                {STAGE_TITLES[stage]}
                <span className="cell-note">{SAFETY_STAGE_LABELS[stage]}</span>
              </th>
              <td>
                <select
                  className="input"
                  aria-label={`${name}: ${STAGE_TITLES[stage]} checked`}
                  disabled={readOnly}
                  value={own?.enabled === undefined ? "" : onOff(own.enabled)}
                  onChange={(e) =>
                    edit(setEnabled(policy, stage, e.target.value === "" ? null : e.target.value === "on"))
                  }
                >
                  <option value="">{inheritEnabled}</option>
                  <option value="on">On</option>
                  <option value="off">Off</option>
                </select>
              </td>
              {safetyDetectors().map((detector) => {
                const rule = own?.detectors?.[detector];
                const from = base?.detectors[detector];
                const cell = `${name}: ${STAGE_TITLES[stage]} ${detector}`;
                return (
                  <td key={detector} className="policy-cell" title={SAFETY_DETECTOR_LABELS[detector]}>
                    <select
                      className="input"
                      aria-label={`${cell} action`}
                      disabled={readOnly}
                      value={rule?.action ?? ""}
                      onChange={(e) => {
                        const action = e.target.value as SafetyAction | "";
                        edit(setRule(policy, stage, detector, action ? { ...rule, action } : null));
                      }}
                    >
                      <option value="">{from ? `Inherit (${from.action})` : "Inherit"}</option>
                      {safetyActions().map((a) => (
                        <option key={a} value={a} title={SAFETY_ACTION_LABELS[a]}>
                          {a}
                        </option>
                      ))}
                    </select>
                    {rule ? (
                      <input
                        // Typed as text until it parses; a new rule or a reset starts from what is stored.
                        key={`${rule.action}:${rule.threshold ?? ""}`}
                        className="input"
                        type="number"
                        min={0}
                        max={1}
                        step={0.05}
                        placeholder="default"
                        aria-label={`${cell} threshold`}
                        disabled={readOnly}
                        defaultValue={rule.threshold ?? ""}
                        onBlur={(e) => {
                          const threshold = parseThreshold(e.target.value);
                          const { threshold: _old, ...bare } = rule;
                          edit(
                            setRule(policy, stage, detector, threshold === undefined ? bare : { ...bare, threshold }),
                          );
                        }}
                      />
                    ) : from?.threshold !== undefined ? (
                      <span className="cell-note">threshold {from.threshold}</span>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </DataTable>
    </div>
  );
}

/** A policy with every cell decided, as a read-only table (what the guard will actually do). */
export function EffectivePolicyTable({ effective }: { effective: EffectiveSafetyPolicy }) {
  return (
    <DataTable columns={["Stage", "Checked", ...safetyDetectors()]}>
      {safetyStages().map((stage) => (
        <tr key={stage} data-testid="effective-stage" data-stage={stage}>
          <th scope="row">{STAGE_TITLES[stage]}</th>
          <td>{onOff(effective[stage].enabled)}</td>
          {safetyDetectors().map((d) => {
            const rule = effective[stage].detectors[d];
            return (
              <td key={d} data-detector={d}>
                {rule.action}
                {rule.threshold !== undefined ? <span className="cell-note">threshold {rule.threshold}</span> : null}
                {Object.entries(rule.categories ?? {}).map(([category, action]) => (
                  <span key={category} className="cell-note">
                    {category}: {action}
                  </span>
                ))}
              </td>
            );
          })}
        </tr>
      ))}
    </DataTable>
  );
}
