export { HiveClient, type HiveClientOptions } from "./client";
export { errorFromResponse, HiveApiError, HiveNetworkError, isErrorEnvelope, type HiveErrorCode } from "./errors";
export type { HealthResponse, ReadyResponse, ReadyCheck, ReadyProviders, ReadyReport } from "./health";
export type { CallOptions, FetchLike, HiveRequestInit } from "./transport";
export type * from "./auth";
export type * from "./workspaces";
export type * from "./invitations";
export type * from "./users";
export { API_KEY_SCOPES, keyStatus, scopeNames } from "./keys";
export type { ApiKey, ApiKeyListParams, ApiKeyPage, ApiKeyScope, ApiKeyStatus, CreateApiKeyRequest, CreatedApiKey } from "./keys";
export type * from "./audit";
export type * from "./flags";
export type { PageParams } from "./query";
export { AGENT_TOOLS, MODEL_PROVIDERS, modelProviders, toolNames } from "./agents";
export type * from "./agents";
export { chatEvents, citationOf, fallbackText } from "./chat";
export type * from "./chat";
export type * from "./conversations";
export {
  CHUNK_SIZE,
  DEFAULT_CHUNK_OVERLAP,
  DOCUMENT_STATUSES,
  SEARCH_MODES,
  UPLOAD_EXTENSIONS,
  WORKERS_AI_EMBEDDING_MODELS,
  documentsPath,
  isSettled,
  toBase64,
  uploadBody,
  uploadTypeOf,
} from "./knowledge";
export type * from "./knowledge";
export { readSse, type SseMessage } from "../sse";
export { SWARM_LIMITS, SWARM_RUN_STATUSES, SWARM_STRATEGIES, STRATEGY_INFO, isRunEnded, socketUrl, swarmMessageOf } from "./swarm";
export type * from "./swarm";
export {
  SAFETY_ACTION_LABELS,
  SAFETY_DETECTOR_LABELS,
  SAFETY_STAGE_LABELS,
  safetyActions,
  safetyDetectors,
  safetyStages,
} from "./safety";
export type * from "./safety";
