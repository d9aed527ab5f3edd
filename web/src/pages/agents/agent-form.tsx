// Create or edit an agent: every part of its definition, each change stored by the API as a
// new version. Errors from the API are shown next to the field they name.

import { AGENT_TOOLS, MODEL_PROVIDERS, type ModelProvider, modelProviders, toolNames } from "@hive/shared/api-client";
import { type UseMutationResult, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { queries } from "../../api/queries";
import { CheckboxItem, labelled, SelectField, TextAreaField, TextField } from "../../ui/controls";
import { errorText, fieldErrors } from "../../ui/error-text";
import { ChoiceField } from "../../ui/field-choice";
import { NameFields } from "../../ui/field-name";
import { RangeField } from "../../ui/field-range";
import { submitted } from "../../ui/form-panel";
import { FormFieldset, FormSection } from "../../ui/form-section";
import { QueryState } from "../../ui/query-state";
import { SubmitRow } from "../../ui/submit-row";
import { useMe } from "../auth/session";
import { PolicyEditor } from "../safety/policy-editor";
import type { AgentFormValues } from "./agent-form-state";

interface AgentFormProps {
  initial: AgentFormValues;
  submitLabel: string;
  /** Creates or updates the agent, and leaves the page when it succeeded. */
  save: UseMutationResult<unknown, Error, AgentFormValues>;
  onCancel: () => void;
}

const KB_PARAMS = { limit: 100 };
/** The API's field paths this form shows next to their controls. */
const SHOWN = [
  ...["name", "description", "system_prompt", "visibility", "model.provider", "model.id"],
  ...["temperature", "max_tokens", "max_steps", "tools", "knowledge_base_ids", "safety"],
];

export function AgentForm({ initial, submitLabel, save, onCancel }: AgentFormProps) {
  const id = useId();
  const [values, setValues] = useState(initial);
  const knowledgeBases = useQuery(queries.knowledgeBases(KB_PARAMS));
  const me = useMe();
  const workspacePolicy = useQuery(queries.safetyPolicy(me.workspace.id));
  const fields = fieldErrors(save.error);
  const at = labelled(id, fields);
  const set = <K extends keyof AgentFormValues>(key: K, value: AgentFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

  /** A required number; the API's field name also names the control. */
  const numberField = (
    key: "temperature" | "maxTokens" | "maxSteps",
    field: ReturnType<typeof at>,
    range: { min: number; max: number; step: number },
    about?: string,
  ) => <RangeField {...field} range={range} about={about} value={values[key]} onValue={(v) => set(key, v)} />;

  return (
    <form className="form" onSubmit={(event) => submitted(event, () => save.mutate(values))}>
      <FormSection title="About">
        <NameFields
          at={at}
          nameMax={100}
          name={values.name}
          description={values.description}
          onName={(v) => set("name", v)}
          onDescription={(v) => set("description", v)}
        />
        <TextAreaField
          {...at("system_prompt", "System prompt")}
          hint="Instructions the model reads before every conversation."
          rows={6}
          maxLength={20_000}
          value={values.systemPrompt}
          onValue={(v) => set("systemPrompt", v)}
        />
        <SelectField
          {...at("visibility", "Visibility")}
          value={values.visibility}
          onValue={(v) => set("visibility", v === "private" ? "private" : "workspace")}
        >
          <option value="workspace">Workspace: every member can use it</option>
          <option value="private">Private: you and workspace admins</option>
        </SelectField>
      </FormSection>

      <FormSection title="Model">
        <div className="field-row">
          <ChoiceField
            {...at("provider", "Provider", "model.provider")}
            choices={modelProviders()}
            option={(p) => [p, MODEL_PROVIDERS[p].label]}
            value={values.provider}
            onValue={(v) => {
              const provider = v as ModelProvider;
              setValues((x) => ({ ...x, provider, modelId: MODEL_PROVIDERS[provider].defaultModel }));
            }}
          />
          <TextField
            {...at("model-id", "Model id", "model.id")}
            required
            maxLength={200}
            value={values.modelId}
            onValue={(v) => set("modelId", v)}
          />
        </div>
        <div className="field-row">
          {numberField("temperature", at("temperature", "Temperature"), { min: 0, max: 2, step: 0.1 })}
          {numberField("maxTokens", at("max_tokens", "Max tokens"), { min: 1, max: 8192, step: 1 }, "Per model call")}
          {numberField(
            "maxSteps",
            at("max_steps", "Max steps"),
            { min: 1, max: 20, step: 1 },
            "Model calls per answer",
          )}
        </div>
        <ul className="checkbox-list">
          <CheckboxItem checked={values.allowSystemOverride} onChecked={(on) => set("allowSystemOverride", on)}>
            <span>
              Let <code>/v1</code> callers add system messages (after this agent's own prompt, which always comes first)
            </span>
          </CheckboxItem>
        </ul>
      </FormSection>

      <FormFieldset legend="Tools" error={fields.tools}>
        <ul className="checkbox-list">
          {toolNames().map((tool) => (
            <CheckboxItem
              key={tool}
              checked={values.tools.includes(tool)}
              onChecked={(on) => set("tools", toggle(values.tools, tool, on))}
            >
              <span>
                <strong>{AGENT_TOOLS[tool].label}</strong> <code>{tool}</code>
                <span className="field-hint">{AGENT_TOOLS[tool].description}</span>
              </span>
            </CheckboxItem>
          ))}
        </ul>
      </FormFieldset>

      <FormFieldset legend="Knowledge bases" error={fields.knowledge_base_ids}>
        {knowledgeBases.error ? (
          <p className="field-error">Could not load knowledge bases: {errorText(knowledgeBases.error)}</p>
        ) : null}
        {knowledgeBases.data && knowledgeBases.data.data.length === 0 && values.knowledgeBaseIds.length === 0 ? (
          <p className="muted">This workspace has no knowledge bases yet.</p>
        ) : null}
        <ul className="checkbox-list">
          {(knowledgeBases.data?.data ?? []).map((kb) => (
            <CheckboxItem
              key={kb.id}
              checked={values.knowledgeBaseIds.includes(kb.id)}
              onChecked={(on) => set("knowledgeBaseIds", toggle(values.knowledgeBaseIds, kb.id, on))}
            >
              <span>
                <strong>{kb.name}</strong> <span className="field-hint">{kb.document_count} documents</span>
              </span>
            </CheckboxItem>
          ))}
          {/* Attached ones the list did not return (deleted, or past the first 100) stay visible so they can be removed. */}
          {values.knowledgeBaseIds
            .filter((kbId) => knowledgeBases.data && !knowledgeBases.data.data.some((kb) => kb.id === kbId))
            .map((kbId) => (
              <CheckboxItem
                key={kbId}
                checked
                onChecked={() => set("knowledgeBaseIds", toggle(values.knowledgeBaseIds, kbId, false))}
              >
                <code>{kbId}</code>
              </CheckboxItem>
            ))}
        </ul>
      </FormFieldset>

      <FormFieldset legend="Safety policy">
        <p className="muted small" data-testid="safety-policy-note">
          Applied to every turn of this agent (chat, swarm steps, /v1 and MCP): these overrides are laid over the
          workspace&apos;s policy (the Safety page edits it), itself over the platform default; a cell left on
          &ldquo;Inherit&rdquo; follows the workspace.
        </p>
        {fields.safety ? <p className="field-error">{fields.safety}</p> : null}
        <QueryState query={workspacePolicy} errorTitle="Could not load the workspace policy" compact />
        <PolicyEditor
          name="Agent"
          policy={values.safety}
          onChange={(safety) => set("safety", safety)}
          inherited={workspacePolicy.data?.effective ?? null}
          inheritFrom="workspace"
        />
      </FormFieldset>

      <SubmitRow label={submitLabel} busyLabel="Saving…" mutation={save} shown={SHOWN}>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={save.isPending}>
          Cancel
        </button>
      </SubmitRow>
    </form>
  );
}
