// The safety service: the playground (/api/safety/check), the events the guard pipeline wrote
// (/api/safety/events) and a workspace's default policy (/api/workspaces/:id/safety-policy).
import type {
  DetectorId,
  SafetyAction,
  SafetyCheckRequest,
  SafetyCheckResponse,
  SafetyEventPage,
  SafetyPolicy,
  SafetyStage,
  WorkspaceSafetyPolicy,
} from "../api-types/safety";
import { ApiCalls } from "./calls";
import { type PageParams, segment } from "./query";
import type { CallOptions } from "./transport";

// The rest of the safety types are exported by index.ts, from api-types.
export type { DetectorId as SafetyDetector } from "../api-types/safety";

/** Where a text is checked. A Record over the Worker's enum: a stage added there fails the typecheck here. */
export const SAFETY_STAGE_LABELS: Readonly<Record<SafetyStage, string>> = {
  input: "the user's message",
  retrieval: "each retrieved knowledge chunk, before the model sees it",
  tool_output: "each tool result",
  output: "the model's answer, while it streams",
};

export const SAFETY_DETECTOR_LABELS: Readonly<Record<DetectorId, string>> = {
  injection: "prompt injection and jailbreak attempts",
  pii: "personal data with validated formats (email, phone, card, IBAN, SSN, IP)",
  secrets: "credentials: API keys, JWTs, private keys, passwords in URLs",
  moderation: "harmful content (Llama Guard with Workers AI; a local lexicon offline)",
  canary: "the agent's canary leaking from its system prompt",
};

/** Mildest first; the strongest action among a text's findings wins. */
export const SAFETY_ACTION_LABELS: Readonly<Record<SafetyAction, string>> = {
  allow: "nothing happens",
  flag: "an event is written",
  redact: "the span is replaced by a typed placeholder such as [EMAIL_1]",
  block: "the text is refused",
};

export const safetyStages = (): SafetyStage[] => Object.keys(SAFETY_STAGE_LABELS) as SafetyStage[];
export const safetyDetectors = (): DetectorId[] => Object.keys(SAFETY_DETECTOR_LABELS) as DetectorId[];
export const safetyActions = (): SafetyAction[] => Object.keys(SAFETY_ACTION_LABELS) as SafetyAction[];

export interface SafetyEventFilters {
  agent_id?: string;
  conversation_id?: string;
  run_id?: string;
  stage?: SafetyStage;
  detector?: DetectorId;
  action?: SafetyAction;
  /** ISO 8601, inclusive. */
  since?: string;
  /** ISO 8601, exclusive. */
  until?: string;
}

const policyPath = (workspaceId: string) => `/api/workspaces/${segment(workspaceId)}/safety-policy`;

export class SafetyApi extends ApiCalls {
  /** Checks a text as the guard would at `stage` (default input); stores nothing. */
  check(body: SafetyCheckRequest, opts?: CallOptions): Promise<SafetyCheckResponse> {
    return this.http.json<SafetyCheckResponse>("POST", "/api/safety/check", body, opts);
  }

  /** The workspace's events, newest first (admins, read-only reviewers, keys with the safety scope). */
  events(filters: SafetyEventFilters & PageParams = {}, opts?: CallOptions): Promise<SafetyEventPage> {
    return this.read<SafetyEventPage>("/api/safety/events", { ...filters }, opts);
  }

  policy(workspaceId: string, opts?: CallOptions): Promise<WorkspaceSafetyPolicy> {
    return this.read<WorkspaceSafetyPolicy>(policyPath(workspaceId), {}, opts);
  }

  /** Workspace admins: replaces the stored policy (agents' own policies still override it). */
  setPolicy(workspaceId: string, policy: SafetyPolicy, opts?: CallOptions): Promise<WorkspaceSafetyPolicy> {
    return this.http.json<WorkspaceSafetyPolicy>("PUT", policyPath(workspaceId), policy, opts);
  }

  /** Workspace admins: back to the platform default. */
  resetPolicy(workspaceId: string, opts?: CallOptions): Promise<WorkspaceSafetyPolicy> {
    return this.http.json<WorkspaceSafetyPolicy>("DELETE", policyPath(workspaceId), undefined, opts);
  }
}
