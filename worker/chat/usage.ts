// After each answer: add its tokens to the agent's totals, and charge them to the workspace's
// per-minute token budget (the rate limiter's `chat_tokens` bucket, in record mode: the answer
// already happened, the next request is the one that will be refused).
import { addAgentUsage } from "../agents/service";
import { getConfig } from "../core/config";
import { createDb } from "../core/db";
import type { Usage } from "../core/providers/types";
import { policyFor } from "../ratelimit/policy";

export async function recordUsage(env: Env, workspaceId: string, agentId: string | null, usage: Usage): Promise<void> {
  await Promise.all([
    agentId
      ? addAgentUsage(createDb(env.DB), workspaceId, agentId, usage.inputTokens, usage.outputTokens)
      : Promise.resolve(),
    chargeTokenBudget(env, workspaceId, usage),
  ]);
}

/** The token-budget half of recordUsage, for callers that write the agent's totals themselves. */
export async function chargeTokenBudget(env: Env, workspaceId: string, usage: Usage): Promise<void> {
  const tokens = usage.inputTokens + usage.outputTokens;
  if (tokens <= 0) return;
  const policy = await policyFor(getConfig(env), env.CACHE, workspaceId);
  await env.RATE_LIMITER.getByName(`ws:${workspaceId}`).hit({
    bucket: "chat_tokens",
    limit: policy.chat_tokens.limit,
    windowMs: policy.chat_tokens.windowMs,
    cost: tokens,
    mode: "record",
  });
}
