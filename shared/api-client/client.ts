// HiveClient: the one typed client for the Liquid Hive API, used by the dashboard and the CLI.
// Each feature is a small resource class over the shared Transport; a feature adds its class
// and one field here (e.g. `readonly agents = new AgentsApi(this.http)` -> `client.agents.list()`).

import type { HealthResponse } from "../api-types";
import { AgentsApi } from "./agents";
import { AuditApi } from "./audit";
import { AuthApi } from "./auth";
import { ChatApi } from "./chat";
import { ConversationsApi } from "./conversations";
import { EvalDatasetsApi } from "./eval-datasets";
import { EvalsApi } from "./evals";
import { FlagsApi } from "./flags";
import { HealthApi, type ReadyReport } from "./health";
import { InvitationsApi } from "./invitations";
import { KeysApi } from "./keys";
import { KnowledgeApi } from "./knowledge";
import { MonitoringApi } from "./monitoring";
import { SafetyApi } from "./safety";
import { SwarmApi } from "./swarm";
import { TracesApi } from "./traces";
import { type CallOptions, Transport, type TransportOptions } from "./transport";
import { UsageApi } from "./usage";
import { UsersApi } from "./users";
import { WorkspacesApi } from "./workspaces";

export type HiveClientOptions = TransportOptions;

export class HiveClient {
  protected readonly http: Transport;
  private readonly healthApi: HealthApi;
  // Assigned in the constructor, not as field initializers: those run before `http` exists.
  readonly auth: AuthApi;
  readonly workspaces: WorkspacesApi;
  readonly invitations: InvitationsApi;
  readonly users: UsersApi;
  readonly keys: KeysApi;
  readonly audit: AuditApi;
  readonly flags: FlagsApi;
  readonly agents: AgentsApi;
  readonly chat: ChatApi;
  readonly conversations: ConversationsApi;
  readonly knowledge: KnowledgeApi;
  readonly swarm: SwarmApi;
  readonly safety: SafetyApi;
  readonly evals: EvalsApi;
  readonly evalDatasets: EvalDatasetsApi;
  readonly usage: UsageApi;
  readonly monitoring: MonitoringApi;
  readonly traces: TracesApi;

  constructor(opts: HiveClientOptions) {
    this.http = new Transport(opts);
    this.healthApi = new HealthApi(this.http);
    this.auth = new AuthApi(this.http);
    this.workspaces = new WorkspacesApi(this.http);
    this.invitations = new InvitationsApi(this.http);
    this.users = new UsersApi(this.http);
    this.keys = new KeysApi(this.http);
    this.audit = new AuditApi(this.http);
    this.flags = new FlagsApi(this.http);
    this.agents = new AgentsApi(this.http);
    this.chat = new ChatApi(this.http);
    this.conversations = new ConversationsApi(this.http);
    this.knowledge = new KnowledgeApi(this.http);
    this.swarm = new SwarmApi(this.http);
    this.safety = new SafetyApi(this.http);
    this.evals = new EvalsApi(this.http);
    this.evalDatasets = new EvalDatasetsApi(this.http);
    this.usage = new UsageApi(this.http);
    this.monitoring = new MonitoringApi(this.http);
    this.traces = new TracesApi(this.http);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  /** Liveness: the Worker answers. */
  health(opts?: CallOptions): Promise<HealthResponse> {
    return this.healthApi.health(opts);
  }

  /** Readiness of D1, KV and Durable Objects; resolves on 200 and on a 503 that carries checks. */
  ready(opts?: CallOptions): Promise<ReadyReport> {
    return this.healthApi.ready(opts);
  }
}
