// Which models answer a turn right now: the agent's chain from the one factory
// (core/providers/model-chain.ts), unless the `inference` kill switch turns model calls off.
import type { ModelSpec } from "../agents/schemas";
import type { Config } from "../core/config";
import { type ModelCandidate, modelChain, offlineChain } from "../core/providers/model-chain";
import { capabilityOn } from "../flags/store";

/**
 * The chain to use for a turn right now. With the `inference` kill switch off (for everyone,
 * or targeted at this workspace) only the offline model answers: chat keeps working in
 * degraded mode, and every answer is flagged `degraded: true`, instead of failing.
 */
export async function liveModelChain(
  specs: readonly ModelSpec[],
  env: Pick<Env, "AI" | "FLAGS" | "DB">,
  config: Config,
  workspaceId: string,
): Promise<ModelCandidate[]> {
  if (!(await capabilityOn(env, "inference", { id: `workspace:${workspaceId}`, workspaceId }))) {
    return offlineChain();
  }
  return modelChain(specs, env, config);
}
