// Every read the dashboard makes, as TanStack query options: the key (from keys.ts) and the
// call that fills it, defined once, so two pages showing the same agent share one cache entry
// and a page reads `useQuery(queries.agent(id))`. The signal aborts a read nobody waits for.

import type {
  ApiKeyListParams,
  AuditFilters,
  CallOptions,
  ConversationListParams,
  DocumentListParams,
  EvalResultListParams,
  EvalRunListParams,
  InvitationListParams,
  MonitoringParams,
  PageParams,
  RunListParams,
  SafetyEventFilters,
  SearchRequest,
  TraceFilters,
  UsageParams,
  UserListParams,
} from "@hive/shared/api-client";
import { type QueryKey, queryOptions } from "@tanstack/react-query";
import { api } from "./client";
import { queryKeys as keys } from "./keys";

/** A read: its key, and the call that answers it (given the signal that aborts it). */
const read = <T>(queryKey: QueryKey, call: (opts: CallOptions) => Promise<T>) =>
  queryOptions({ queryKey, queryFn: ({ signal }) => call({ signal }) });

export const queries = {
  agents: (params: PageParams) => read(keys.agents.list(params), (o) => api.agents.list(params, o)),
  agent: (id: string) => read(keys.agents.detail(id), (o) => api.agents.get(id, o)),
  agentVersions: (id: string, params: PageParams) =>
    read(keys.agents.versions(id, params), (o) => api.agents.versions(id, params, o)),
  conversations: (params: ConversationListParams) =>
    read(keys.conversations.list(params), (o) => api.conversations.list(params, o)),
  knowledgeBases: (params: PageParams) => read(keys.knowledge.list(params), (o) => api.knowledge.list(params, o)),
  knowledgeBase: (id: string) => read(keys.knowledge.detail(id), (o) => api.knowledge.get(id, o)),
  documents: (kbId: string, params: DocumentListParams) =>
    read(keys.knowledge.documents(kbId, params), (o) => api.knowledge.documents(kbId, params, o)),
  ingestion: (kbId: string) => read(keys.knowledge.ingestion(kbId), (o) => api.knowledge.ingestionStatus(kbId, o)),
  search: (kbId: string, request: SearchRequest) =>
    read(keys.knowledge.search(kbId, request), (o) => api.knowledge.search(kbId, request, o)),
  swarmRuns: (params: RunListParams) => read(keys.swarm.list(params), (o) => api.swarm.list(params, o)),
  evalRuns: (params: EvalRunListParams) => read(keys.evalRuns.list(params), (o) => api.evals.listRuns(params, o)),
  evalRun: (id: string) => read(keys.evalRuns.detail(id), (o) => api.evals.getRun(id, o)),
  evalResults: (id: string, params: EvalResultListParams) =>
    read(keys.evalRuns.results(id, params), (o) => api.evals.results(id, params, o)),
  evalCompare: (baseline: string, candidate: string, tolerance: number) =>
    read(keys.evalRuns.compare(baseline, candidate, tolerance), (o) =>
      api.evals.compare(baseline, candidate, tolerance, o),
    ),
  keys: (params: ApiKeyListParams) => read(keys.keys.list(params), (o) => api.keys.list(params, o)),
  users: (params: UserListParams) => read(keys.users.list(params), (o) => api.users.list(params, o)),
  members: (workspaceId: string, params: PageParams) =>
    read(keys.members.list({ workspaceId, ...params }), (o) => api.workspaces.members(workspaceId, params, o)),
  invitations: (workspaceId: string, params: InvitationListParams) =>
    read(keys.invitations.list({ workspaceId, ...params }), (o) => api.invitations.list(workspaceId, params, o)),
  myInvitations: () => read(keys.invitations.mine, (o) => api.invitations.mine({ limit: 100 }, o)),
  monitoring: (params: MonitoringParams) => read(keys.monitoring.list(params), (o) => api.monitoring.get(params, o)),
  audit: (params: AuditFilters & PageParams) => read(keys.audit.list(params), (o) => api.audit.list(params, o)),
  flags: () => read(keys.flags.list(), (o) => api.flags.list(o)),
  flag: (key: string) => read(keys.flags.detail(key), (o) => api.flags.get(key, o)),
  usage: (params: UsageParams) => read(keys.usage.list(params), (o) => api.usage.report(params, o)),
  safetyEvents: (params: SafetyEventFilters & PageParams) =>
    read(keys.safety.list(params), (o) => api.safety.events(params, o)),
  safetyPolicy: (workspaceId: string) =>
    read(keys.safety.policy(workspaceId), (o) => api.safety.policy(workspaceId, o)),
  traces: (params: TraceFilters & PageParams) => read(keys.traces.list(params), (o) => api.traces.list(params, o)),
  trace: (traceId: string) => read(keys.traces.detail(traceId), (o) => api.traces.get(traceId, o)),
  sessions: () => read(keys.sessions.list(), (o) => api.auth.sessions(o)),
  evalDatasets: (params: PageParams) => read(keys.evalDatasets.list(params), (o) => api.evalDatasets.list(params, o)),
  evalDataset: (id: string) => read(keys.evalDatasets.detail(id), (o) => api.evalDatasets.get(id, o)),
  evalCases: (id: string, params: PageParams & { version?: number }) =>
    read(keys.evalDatasets.cases(id, params), (o) => api.evalDatasets.cases(id, params, o)),
  ready: () => read(keys.ready, (o) => api.ready(o)),
};
