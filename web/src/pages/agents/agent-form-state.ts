// The agent form's values (strings where the user types numbers, so a half-typed "0." is not
// rewritten under the cursor) and their conversion to the API's request bodies.
import {
  type Agent,
  MODEL_PROVIDERS,
  type ModelProvider,
  type NewAgent,
  type SafetyPolicy,
  type ToolName,
  type UpdateAgentBody,
} from "@hive/shared/api-client";

export interface AgentFormValues {
  name: string;
  description: string;
  systemPrompt: string;
  provider: ModelProvider;
  modelId: string;
  temperature: string;
  maxTokens: string;
  maxSteps: string;
  tools: ToolName[];
  knowledgeBaseIds: string[];
  safety: SafetyPolicy;
  allowSystemOverride: boolean;
  visibility: Agent["visibility"];
}

/** The Worker's defaults for a new agent (worker/agents/schemas.ts). */
export const NEW_AGENT: AgentFormValues = {
  name: "",
  description: "",
  systemPrompt: "",
  provider: "offline",
  modelId: MODEL_PROVIDERS.offline.defaultModel,
  temperature: "0.7",
  maxTokens: "1024",
  maxSteps: "5",
  tools: [],
  knowledgeBaseIds: [],
  safety: {},
  allowSystemOverride: false,
  visibility: "workspace",
};

export function valuesOf(agent: Agent): AgentFormValues {
  const d = agent.definition;
  return {
    name: d.name,
    description: d.description,
    systemPrompt: d.system_prompt,
    provider: d.model.provider,
    modelId: d.model.id,
    temperature: String(d.temperature),
    maxTokens: String(d.max_tokens),
    maxSteps: String(d.max_steps),
    tools: [...d.tools],
    knowledgeBaseIds: [...d.knowledge_base_ids],
    safety: structuredClone(d.safety),
    allowSystemOverride: d.allow_system_override,
    visibility: agent.visibility,
  };
}

/** Numbers as typed. One that does not parse is NaN, which JSON sends as null, so the API's
 * validation names the field instead of the form guessing a value. */
const num = (s: string) => (s.trim() === "" || Number.isNaN(Number(s)) ? Number.NaN : Number(s));

function definitionOf(v: AgentFormValues) {
  return {
    name: v.name,
    description: v.description,
    system_prompt: v.systemPrompt,
    model: { provider: v.provider, id: v.modelId },
    temperature: num(v.temperature),
    max_tokens: num(v.maxTokens),
    max_steps: num(v.maxSteps),
    tools: v.tools,
    knowledge_base_ids: v.knowledgeBaseIds,
    safety: v.safety,
    allow_system_override: v.allowSystemOverride,
    visibility: v.visibility,
  };
}

export const createBody = (v: AgentFormValues): NewAgent => definitionOf(v);

/**
 * Only the fields that changed since the form was loaded, guarded by the version it was loaded
 * at (409 when someone saved since); null when nothing changed, so no empty version is stored.
 */
export function updateBody(
  values: AgentFormValues,
  loaded: AgentFormValues,
  loadedVersion: number,
): UpdateAgentBody | null {
  const next = definitionOf(values);
  const before = definitionOf(loaded);
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
    (k) => JSON.stringify(next[k]) !== JSON.stringify(before[k]),
  );
  if (changed.length === 0) return null;
  return { ...Object.fromEntries(changed.map((k) => [k, next[k]])), expected_version: loadedVersion };
}
