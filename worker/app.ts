// Wiring only: the middleware pipeline, then each feature's routes. No logic here.
import { auditDenied } from "./audit/audit";
import { registerAudit } from "./audit/routes";
import { authenticate } from "./auth/middleware";
import { registerAuth } from "./auth/routes";
import { registerKeys } from "./keys/routes";
import { registerUsers } from "./users/routes";
import { registerWorkspaceRoutes } from "./workspaces/register";
import { registerInvitationRoutes } from "./invitations/register";
import { authorize } from "./core/authorize";
import { onError } from "./core/errors";
import {
  accessLog,
  withBodyLimit,
  withConfig,
  withCors,
  withRequestId,
  withSecureHeaders,
  withServices,
} from "./core/middleware";
import { forgetCachesOnWrite } from "./core/isolate-cache";
import { notFound } from "./core/not-found";
import { createRouter } from "./core/openapi";
import { registerDocs } from "./docs/routes";
import { registerBenchBaselines } from "./bench/routes";
import { registerHealth } from "./health/routes";
import { registerAdmin } from "./admin/routes";
import { registerFlags } from "./flags/routes";
import { recordRequest } from "./metrics/recorder";
import { registerMetrics } from "./metrics/routes";
import { rateLimit } from "./ratelimit/middleware";
import { responseCache } from "./cache/middleware";
import { requestValidator } from "./cache/validate";
import { registerAgents } from "./agents/routes";
import { registerChat } from "./chat/routes";
import { registerConversations } from "./conversations/routes";
import { registerConversationSocket } from "./conversations/socket-route";
import { openAiErrors } from "./openai/errors";
import { registerOpenAi } from "./openai/routes";
import { registerMcp } from "./mcp/routes";
import { registerKnowledge } from "./knowledge/register";
import { registerSafetyRoutes } from "./safety/register";
import { registerSwarm } from "./swarm/routes";
import { registerSwarmSocket } from "./swarm/socket-route";

export function createApp() {
  const app = createRouter();

  // Benchmark baselines, ahead of every middleware; development with BENCH_BARE_ROUTE=1 only.
  registerBenchBaselines(app);

  app.use("*", withRequestId, accessLog(recordRequest), withConfig, withSecureHeaders, withCors, withBodyLimit, withServices);
  // OpenAI clients expect OpenAI's error shape, including for auth and rate-limit failures.
  app.use("/v1/*", openAiErrors);
  app.use("*", forgetCachesOnWrite, authenticate, authorize(auditDenied), rateLimit, responseCache(requestValidator(app)));

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

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
