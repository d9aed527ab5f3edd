// /api/agents: definitions, their immutable versions, and rollback.
import type {
  Agent,
  AgentPage,
  AgentVersionPage,
  ModelProvider,
  NewAgent,
  RollbackBody,
  ToolName,
  UpdateAgentBody,
} from "../api-types";
import { ApiCalls } from "./calls";
import { type PageParams, segment } from "./query";
import type { CallOptions } from "./transport";

export type {
  Agent,
  AgentDefinition,
  AgentPage,
  AgentVersion,
  AgentVersionPage,
  ModelProvider,
  ModelSpec,
  NewAgent,
  RollbackBody,
  SafetyPolicy,
  ToolName,
  UpdateAgentBody,
} from "../api-types";

/**
 * The built-in tools with what they do. A Record over the Worker's tool enum, so a tool added
 * there fails the typecheck here until it is described (forms and `hive agents` list them).
 */
export const AGENT_TOOLS: Readonly<Record<ToolName, { label: string; description: string; needsApproval: boolean }>> = {
  calculator: { label: "Calculator", description: "Evaluates arithmetic expressions", needsApproval: false },
  current_time: { label: "Current time", description: "Tells the date and time in a time zone", needsApproval: false },
  http_get: {
    label: "HTTP GET",
    description: "Fetches a URL from the allowlisted hosts; each call waits for your approval",
    needsApproval: true,
  },
  knowledge_search: {
    label: "Knowledge search",
    description: "Searches the agent's knowledge bases and cites passages",
    needsApproval: false,
  },
};

export const toolNames = (): ToolName[] => Object.keys(AGENT_TOOLS) as ToolName[];

/** Model providers: where each answers from, and a model id that works with it out of the box. Same Record trick as AGENT_TOOLS. */
export const MODEL_PROVIDERS: Readonly<Record<ModelProvider, { label: string; defaultModel: string }>> = {
  offline: { label: "Built-in offline model (extractive, always available, degraded)", defaultModel: "offline" },
  "workers-ai": {
    label: "Workers AI (when the AI binding is configured)",
    defaultModel: "@cf/meta/llama-3.1-8b-instruct",
  },
  "openai-compatible": { label: "OpenAI-compatible server (LLM_BASE_URL)", defaultModel: "llama3.1" },
  scripted: { label: "Scripted token stream, development and test only (tokens:interval_ms)", defaultModel: "40:50" },
};

export const modelProviders = (): ModelProvider[] => Object.keys(MODEL_PROVIDERS) as ModelProvider[];

export class AgentsApi extends ApiCalls {
  list(params: PageParams = {}, opts?: CallOptions): Promise<AgentPage> {
    return this.read<AgentPage>("/api/agents", { ...params }, opts);
  }

  /** Creates an agent at version 1; fields left out take the Worker's defaults. */
  create(body: NewAgent, opts?: CallOptions): Promise<Agent> {
    return this.http.json<Agent>("POST", "/api/agents", body, opts);
  }

  get(id: string, opts?: CallOptions): Promise<Agent> {
    return this.read<Agent>(`/api/agents/${segment(id)}`, {}, opts);
  }

  /** Any change to the definition stores a new version; `expected_version` guards against a concurrent edit (409). */
  update(id: string, body: UpdateAgentBody, opts?: CallOptions): Promise<Agent> {
    return this.http.json<Agent>("PATCH", `/api/agents/${segment(id)}`, body, opts);
  }

  delete(id: string, opts?: CallOptions): Promise<void> {
    return this.remove(`/api/agents/${segment(id)}`, opts);
  }

  /** Versions, newest first. */
  versions(id: string, params: PageParams = {}, opts?: CallOptions): Promise<AgentVersionPage> {
    return this.read<AgentVersionPage>(`/api/agents/${segment(id)}/versions`, { ...params }, opts);
  }

  /** Stores a new version equal to `version`. */
  rollback(id: string, version: number, body: RollbackBody = {}, opts?: CallOptions): Promise<Agent> {
    return this.http.json<Agent>("POST", `/api/agents/${segment(id)}/versions/${version}/rollback`, body, opts);
  }
}
