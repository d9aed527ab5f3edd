// The policy a turn runs under: the platform default, the workspace's stored default over it,
// the agent version's own override over that. The workspace row is read at most once per
// DEFINITION_CACHE_TTL_SECONDS per isolate (the same freshness as agent definitions); a write to
// the safety, workspace or admin routes through this isolate forgets it at once.
import { eq } from "drizzle-orm";
import type { Database } from "../core/db";
import { workspaceSafetyPolicies } from "../core/db/schema";
import { IsolateCache } from "../core/isolate-cache";
import { writeLog } from "../core/logger";
import { type EffectivePolicy, resolvePolicy, SafetyPolicy } from "./policy";

const workspacePolicies = new IsolateCache<SafetyPolicy | null>(/^\/api\/(safety|workspaces|admin)(\/.*)?$/);

/** The workspace's stored policy, or null (none stored, or one that no longer parses: logged, not fatal). */
async function workspacePolicy(
  db: Database,
  workspaceId: string,
  ttlSeconds: number,
): Promise<SafetyPolicy | null> {
  const cached = workspacePolicies.get(workspaceId);
  if (cached !== undefined) return cached;
  const [row] = await db
    .select({ policy: workspaceSafetyPolicies.policy })
    .from(workspaceSafetyPolicies)
    .where(eq(workspaceSafetyPolicies.workspaceId, workspaceId))
    .limit(1);
  let policy: SafetyPolicy | null = null;
  if (row) {
    const parsed = SafetyPolicy.safeParse(row.policy);
    if (parsed.success) policy = parsed.data;
    else writeLog("warn", "safety_policy_unreadable", { workspace: workspaceId });
  }
  workspacePolicies.set(workspaceId, policy, ttlSeconds);
  return policy;
}

/** The effective policy for one agent's turn. */
export async function turnPolicy(
  db: Database,
  workspaceId: string,
  agentPolicy: SafetyPolicy | undefined,
  ttlSeconds: number,
): Promise<EffectivePolicy> {
  return resolvePolicy(await workspacePolicy(db, workspaceId, ttlSeconds), agentPolicy);
}
