// The Worker's entry: HTTP through the Hono app, ingestion batches through the queue
// consumer, the Cron Trigger through the scheduled re-fetch of web pages and the trace
// retention purge, and the Durable Object classes re-exported for the runtime.
import { createApp } from "./app";
import { handleDeadLetters, isDeadLetterQueue } from "./knowledge/dead-letters";
import { enqueueDueRefetches } from "./knowledge/refetch-schedule";
import { handleQueue } from "./queue/consumer";
import { purgeExpiredTraces } from "./traces/retention";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) =>
    isDeadLetterQueue(batch.queue) ? handleDeadLetters(batch, env) : handleQueue(batch, env, ctx),
  scheduled: async (controller, env) => {
    await Promise.all([
      enqueueDueRefetches(env, controller.scheduledTime),
      purgeExpiredTraces(env, controller.scheduledTime),
    ]);
  },
} satisfies ExportedHandler<Env>;

export { ConversationAgent } from "../durable-objects/agent-conversation";
export { Counters } from "../durable-objects/counters";
export { EvalCoordinator } from "../durable-objects/eval-coordinator";
export { RateLimiter } from "../durable-objects/rate-limiter";
export { SwarmCoordinator } from "../durable-objects/swarm-coordinator";
export { VectorIndexStore } from "../durable-objects/vector-index-store";
