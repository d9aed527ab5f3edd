export { HiveClient, type HiveClientOptions } from "./client";
export { HiveApiError, HiveNetworkError, isErrorEnvelope, type HiveErrorCode } from "./errors";
export type { HealthResponse, ReadyResponse, ReadyCheck, ReadyProviders, ReadyReport } from "./health";
export type { CallOptions, FetchLike, HiveRequestInit } from "./transport";
