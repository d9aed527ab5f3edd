// Wiring only: the middleware pipeline, then each feature's routes. No logic here.

import { registerAdmin } from "./admin/routes";
import { registerAgents } from "./agents/routes";
import { auditDenied } from "./audit/audit";
import { registerAudit } from "./audit/routes";
import { authenticate } from "./auth/middleware";
import { registerAuth } from "./auth/routes";
import { registerBenchBaselines } from "./bench/routes";
import { responseCache } from "./cache/middleware";
import { requestValidator } from "./cache/validate";
import { registerChat } from "./chat/routes";
import { registerConversations } from "./conversations/routes";
import { registerConversationSocket } from "./conversations/socket-route";
import { authorize } from "./core/authorize";
import { onError } from "./core/errors";
import { idempotency } from "./core/idempotency";
import { forgetCachesOnWrite } from "./core/isolate-cache";
import {
  accessLog,
  withBodyLimit,
  withConfig,
  withCors,
  withRequestId,
  withSecureHeaders,
  withServices,
} from "./core/middleware";
import { notFound } from "./core/not-found";
import { createRouter } from "./core/openapi";
import { phase, traceRequests } from "./core/trace/http";
import { storeTrace } from "./core/trace/sink";
import { registerDocs } from "./docs/routes";
import { registerEvalDatasets } from "./evals/datasets-register";
import { registerEvalRuns } from "./evals/run-routes";
import { registerFlags } from "./flags/routes";
import { registerHealth } from "./health/routes";
import { registerInvitationRoutes } from "./invitations/register";
import { registerKeys } from "./keys/routes";
import { registerKnowledge } from "./knowledge/register";
import { registerMcp } from "./mcp/routes";
import { recordRequest } from "./metrics/recorder";
import { registerMetrics } from "./metrics/routes";
import { registerMonitoring } from "./monitoring/routes";
import { openAiErrors } from "./openai/errors";
import { registerOpenAi } from "./openai/routes";
import { rateLimit } from "./ratelimit/middleware";
import { registerSafetyRoutes } from "./safety/register";
import { registerSwarm } from "./swarm/routes";
import { registerSwarmSocket } from "./swarm/socket-route";
import { registerTraces } from "./traces/routes";
import { registerUsage } from "./usage/routes";
import { registerUsers } from "./users/routes";
import { registerWorkspaceRoutes } from "./workspaces/register";

export function createApp() {
  const app = createRouter();

  // Benchmark baselines, ahead of every middleware; development with BENCH_BARE_ROUTE=1 only.
  registerBenchBaselines(app);

  app.use(
    "*",
    traceRequests(storeTrace),
    withRequestId,
    accessLog(recordRequest),
    withConfig,
    withSecureHeaders,
    withCors,
    withBodyLimit,
    withServices,
  );
  // OpenAI clients expect OpenAI's error shape, including for auth and rate-limit failures.
  app.use("/v1/*", openAiErrors);
  app.use(
    "*",
    forgetCachesOnWrite,
    phase("auth", authenticate),
    authorize(auditDenied),
    phase("rate limit", rateLimit),
    idempotency,
    phase("cache", responseCache(requestValidator(app))),
  );

  registerHealth(app);
  registerDocs(app);
  registerAuth(app);
  registerUsers(app);
  registerWorkspaceRoutes(app);
  registerInvitationRoutes(app);
  registerKeys(app);
  registerAudit(app);
  registerAdmin(app);
  registerFlags(app);
  registerMetrics(app);
  registerMonitoring(app);
  registerAgents(app);
  registerChat(app);
  registerConversations(app);
  registerConversationSocket(app);
  registerOpenAi(app);
  registerMcp(app);
  registerKnowledge(app);
  registerSafetyRoutes(app);
  registerSwarm(app);
  registerSwarmSocket(app);
  registerEvalDatasets(app);
  registerUsage(app);
  registerTraces(app);
  registerEvalRuns(app);

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
