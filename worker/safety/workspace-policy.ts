// A workspace's default safety policy in D1: what its admins stored over the platform default.
// No row means the platform default applies; the stored JSON was validated on the way in. The
// one loader for the API and for every turn: the row is read at most once per
// DEFINITION_CACHE_TTL_SECONDS per isolate (the freshness of agent definitions); a write to
// /api/workspaces/** (the policy's PUT and DELETE among them) or /api/admin/** through this
// isolate forgets it at once, so the next turn runs under the new policy.
import { eq } from "drizzle-orm";
import type { Database } from "../core/db";
import { workspaceSafetyPolicies } from "../core/db/schema";
import { IsolateCache } from "../core/isolate-cache";
import { writeLog } from "../core/logger";
import { type EffectivePolicy, resolvePolicy, SafetyPolicy } from "./policy";

export interface StoredPolicy {
  policy: SafetyPolicy;
  updatedAt: number | null;
}

const stored = new IsolateCache<StoredPolicy>(/^\/api\/(workspaces|admin)(\/.*)?$/);

/** The stored policy ({} when none is stored, or one that no longer parses: logged, not fatal). */
export async function loadWorkspacePolicy(
  db: Database,
  workspaceId: string,
  ttlSeconds: number,
): Promise<StoredPolicy> {
  const cached = stored.get(workspaceId);
  if (cached) return cached;
  const [row] = await db
    .select({ policy: workspaceSafetyPolicies.policy, updatedAt: workspaceSafetyPolicies.updatedAt })
    .from(workspaceSafetyPolicies)
    .where(eq(workspaceSafetyPolicies.workspaceId, workspaceId))
    .limit(1);
  const parsed = row ? SafetyPolicy.safeParse(row.policy) : null;
  if (parsed && !parsed.success) writeLog("warn", "safety_policy_unreadable", { workspace: workspaceId });
  const policy = { policy: parsed?.success ? parsed.data : {}, updatedAt: row?.updatedAt ?? null };
  stored.set(workspaceId, policy, ttlSeconds);
  return policy;
}

/** The effective policy for one agent's turn: the workspace's under the agent version's override. */
export async function turnPolicy(
  db: Database,
  workspaceId: string,
  agentPolicy: SafetyPolicy | undefined,
  ttlSeconds: number,
): Promise<EffectivePolicy> {
  return resolvePolicy((await loadWorkspacePolicy(db, workspaceId, ttlSeconds)).policy, agentPolicy);
}

export async function saveWorkspacePolicy(
  db: Database,
  workspaceId: string,
  policy: SafetyPolicy,
  userId: string,
): Promise<StoredPolicy> {
  const updatedAt = Date.now();
  await db
    .insert(workspaceSafetyPolicies)
    .values({ workspaceId, policy, updatedBy: userId, updatedAt })
    .onConflictDoUpdate({ target: workspaceSafetyPolicies.workspaceId, set: { policy, updatedBy: userId, updatedAt } });
  return { policy, updatedAt };
}

/** Back to the platform default; true when there was a stored policy to remove. */
export async function deleteWorkspacePolicy(db: Database, workspaceId: string): Promise<boolean> {
  const gone = await db
    .delete(workspaceSafetyPolicies)
    .where(eq(workspaceSafetyPolicies.workspaceId, workspaceId))
    .returning({ id: workspaceSafetyPolicies.workspaceId });
  return gone.length > 0;
}
