// A workspace's default safety policy in D1: what its admins stored over the platform default.
// No row means the platform default applies; the stored JSON was validated on the way in.
import { eq } from "drizzle-orm";
import type { Database } from "../core/db";
import { workspaceSafetyPolicies } from "../core/db/schema";
import { SafetyPolicy } from "./policy";

export interface StoredPolicy {
  policy: SafetyPolicy;
  updatedAt: number | null;
}

export async function loadWorkspacePolicy(db: Database, workspaceId: string): Promise<StoredPolicy> {
  const [row] = await db
    .select({ policy: workspaceSafetyPolicies.policy, updatedAt: workspaceSafetyPolicies.updatedAt })
    .from(workspaceSafetyPolicies)
    .where(eq(workspaceSafetyPolicies.workspaceId, workspaceId))
    .limit(1);
  return row ? { policy: SafetyPolicy.parse(row.policy), updatedAt: row.updatedAt } : { policy: {}, updatedAt: null };
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
