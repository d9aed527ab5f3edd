export type * from "../api-types/evals";
export type * from "../api-types/invitations";
export { MONITORING_WINDOWS } from "../api-types/monitoring";
export type * from "../api-types/safety";
export { readSse, type SseMessage } from "../sse";
export type * from "../swarm-protocol";
export type * from "./agents";
export { AGENT_TOOLS, MODEL_PROVIDERS, modelProviders, toolNames } from "./agents";
export type * from "./audit";
export type * from "./auth";
export { BATCH_LIMITS, batchesOf, batchFile } from "./batches";
export type * from "./chat";
export { chatEvents, citationOf, fallbackText } from "./chat";
export { HiveClient, type HiveClientOptions } from "./client";
export type * from "./conversations";
export { errorFromResponse, HiveApiError, type HiveErrorCode, HiveNetworkError, isErrorEnvelope } from "./errors";
export type * from "./eval-datasets";
export type * from "./evals";
export { EVAL_SCORERS, evalRunEvents, isEvalRunEnded, isEvalScorer } from "./evals";
export type * from "./flags";
export type { HealthResponse, ReadyCheck, ReadyProviders, ReadyReport, ReadyResponse } from "./health";
export type * from "./invitations";
export type {
  ApiKey,
  ApiKeyListParams,
  ApiKeyPage,
  ApiKeyScope,
  ApiKeyStatus,
  CreateApiKeyRequest,
  CreatedApiKey,
} from "./keys";
export { API_KEY_SCOPES, keyStatus, scopeNames } from "./keys";
export type * from "./knowledge";
export {
  CHUNK_SIZE,
  DEFAULT_CHUNK_OVERLAP,
  DOCUMENT_STATUSES,
  documentsPath,
  isSettled,
  MAX_FETCH_URLS,
  SEARCH_MODES,
  toBase64,
  UPLOAD_EXTENSIONS,
  uploadBody,
  uploadTypeOf,
  WORKERS_AI_EMBEDDING_MODELS,
} from "./knowledge";
export type * from "./monitoring";
export type { PageParams } from "./query";
export type { RetryPolicy, WaitEvent } from "./retry";
export type * from "./safety";
export {
  SAFETY_ACTION_LABELS,
  SAFETY_DETECTOR_LABELS,
  SAFETY_STAGE_LABELS,
  safetyActions,
  safetyDetectors,
  safetyStages,
} from "./safety";
export type * from "./swarm";
export {
  isRunEnded,
  STRATEGY_INFO,
  SWARM_LIMITS,
  SWARM_RUN_STATUSES,
  SWARM_STRATEGIES,
  socketUrl,
  swarmMessageOf,
} from "./swarm";
export type * from "./traces";
export { TRACE_STATUS_PATTERN } from "./traces";
export type { CallOptions, FetchLike, HiveRequestInit } from "./transport";
export type * from "./usage";
export { USAGE_GROUPS } from "./usage";
export type * from "./users";
export type * from "./workspaces";
