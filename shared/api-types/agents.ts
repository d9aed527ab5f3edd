// /api/agents: definitions, their immutable versions, and rollback. A definition is everything
// that decides how an agent answers; each change stores a new version of it.
import type { Page } from "./page";
import type { UsageTotals } from "./usage";

export const MODEL_PROVIDERS = ["offline", "workers-ai", "openai-compatible", "scripted"] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

/** The built-in tools an agent may be given. */
export const TOOL_NAMES = ["calculator", "current_time", "http_get", "knowledge_search"] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const VISIBILITIES = ["private", "workspace"] as const;
/** private: the owner and workspace admins; workspace: every member. */
export type Visibility = (typeof VISIBILITIES)[number];

export interface ModelSpec {
  provider: ModelProvider;
  id: string;
}

import type { SafetyPolicy } from "./safety";

export type { SafetyPolicy };

export interface AgentDefinition {
  name: string;
  description: string;
  system_prompt: string;
  model: ModelSpec;
  fallback_models: ModelSpec[];
  temperature: number;
  max_tokens: number;
  tools: ToolName[];
  knowledge_base_ids: string[];
  safety: SafetyPolicy;
  /** Model calls per answer in the tool loop. */
  max_steps: number;
  /** Whether /v1 callers may add their own system (or developer) messages. */
  allow_system_override: boolean;
}

type DefinitionChanges = Partial<AgentDefinition> & { visibility?: Visibility };

/** A create request as sent: only `name` is required, the Worker fills in the defaults. */
export type NewAgent = DefinitionChanges & { name: string };

/** Every field optional; `expected_version` fails the update with 409 unless it is still current. */
export type UpdateAgentBody = DefinitionChanges & { expected_version?: number };

export interface RollbackBody {
  expected_version?: number;
}

export interface Agent {
  id: string;
  workspace_id: string;
  owner_id: string;
  visibility: Visibility;
  name: string;
  description: string;
  version: number;
  definition: AgentDefinition;
  tokens_in: number;
  tokens_out: number;
  /** GET /api/agents/:id only: every model call charged to the agent, all time. */
  usage?: UsageTotals;
  /** Whether the caller may change or delete it. */
  can_edit: boolean;
  created_at: string;
  updated_at: string;
}
export type AgentPage = Page<Agent>;

export interface AgentVersion {
  agent_id: string;
  version: number;
  definition: AgentDefinition;
  created_by: string;
  created_at: string;
  current: boolean;
}
export type AgentVersionPage = Page<AgentVersion>;
