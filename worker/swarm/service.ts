// Runs in D1: the agents a run may use (visible to the caller, in the caller's workspace), the
// run row, and reads. Every query filters by the caller's workspace; another workspace's run
// or agent is simply not found.

import type { RunAgent, RunConfig, RunStatus, SwarmStep } from "@hive/shared/swarm-protocol";
import { and, eq, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { visibleAgents } from "../agents/access";
import { newestFirst, toPage } from "../core/cursor";
import type { Database } from "../core/db";
import { findRow } from "../core/db/find";
import { agents, swarmRuns, swarmSteps } from "../core/db/schema";
import { ApiError } from "../core/errors";
import type { AuthenticatedPrincipal } from "../core/principal";
import { runFromRow, type StoredConfig, stepFromRow } from "./records";
import { involvedAgents, minSteps } from "./strategies";

export type RunRow = typeof swarmRuns.$inferSelect;

const unprocessable = (message: string, fields: { path: string; message: string }[]) =>
  new ApiError("UNPROCESSABLE", message, { details: { fields: fields.map((f) => ({ ...f, code: "custom" })) } });

/** Where each involved agent is named in the request, for error details. */
function pathsOf(config: RunConfig, id: string): string[] {
  const paths = config.agent_ids.flatMap((a, i) => (a === id ? [`agent_ids.${i}`] : []));
  if (config.strategy === "parallel" && config.aggregator_id === id) paths.push("aggregator_id");
  if (config.strategy === "router" && config.router_id === id) paths.push("router_id");
  if (config.strategy === "debate" && config.judge_id === id) paths.push("judge_id");
  return paths;
}

/** The run's agents pinned at their current versions; 422 naming any the caller cannot use. */
export async function resolveAgents(db: Database, p: AuthenticatedPrincipal, config: RunConfig): Promise<RunAgent[]> {
  const ids = involvedAgents(config);
  const rows = await db
    .select({ id: agents.id, name: agents.name, description: agents.description, version: agents.currentVersion })
    .from(agents)
    .where(and(inArray(agents.id, ids), visibleAgents(p)));
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) {
    throw unprocessable(
      `Unknown agents: ${missing.join(", ")}`,
      missing.flatMap((id) =>
        pathsOf(config, id).map((path) => ({ path, message: "no such agent in this workspace" })),
      ),
    );
  }
  return ids.map((id) => found.get(id) as RunAgent);
}

/** Budgets a run would break before its first step: too many agents, too few steps. */
export function checkBudgets(config: RunConfig): void {
  const { max_agents, max_steps } = config.budget;
  const involved = involvedAgents(config).length;
  if (involved > max_agents)
    throw unprocessable(`The run involves ${involved} agents; max_agents is ${max_agents}`, [
      { path: "budget.max_agents", message: `must be at least ${involved}` },
    ]);
  const needed = minSteps(config);
  if (needed > max_steps)
    throw unprocessable(
      `A ${config.strategy} run with these settings takes at least ${needed} steps; max_steps is ${max_steps}`,
      [{ path: "budget.max_steps", message: `must be at least ${needed}` }],
    );
}

export async function insertRun(
  db: Database,
  p: Pick<AuthenticatedPrincipal, "workspaceId" | "userId">,
  id: string,
  config: RunConfig,
  pinned: RunAgent[],
  now: number,
  alongside: BatchItem<"sqlite">,
): Promise<void> {
  const stored: StoredConfig = { request: config, agents: pinned };
  await db.batch([
    db.insert(swarmRuns).values({
      id,
      workspaceId: p.workspaceId,
      createdBy: p.userId,
      strategy: config.strategy,
      task: config.task,
      config: stored as unknown as Record<string, unknown>,
      status: "pending",
      createdAt: now,
    }),
    alongside,
  ]);
}

export async function markFailed(db: Database, row: Pick<RunRow, "id" | "workspaceId">, reason: string): Promise<void> {
  await db
    .update(swarmRuns)
    .set({ status: "failed", reason, endedAt: Date.now() })
    .where(and(eq(swarmRuns.id, row.id), eq(swarmRuns.workspaceId, row.workspaceId)));
}

export function findRun(db: Database, p: AuthenticatedPrincipal, id: string): Promise<RunRow> {
  return findRow(db, swarmRuns, and(eq(swarmRuns.id, id), eq(swarmRuns.workspaceId, p.workspaceId)), "Run");
}

export async function listRuns(
  db: Database,
  p: AuthenticatedPrincipal,
  limit: number,
  cursor: string | undefined,
  status: RunStatus | undefined,
) {
  const rows = await newestFirst(
    db.select().from(swarmRuns).$dynamic(),
    swarmRuns,
    { cursor, limit },
    eq(swarmRuns.workspaceId, p.workspaceId),
    status ? eq(swarmRuns.status, status) : undefined,
  );
  return toPage(rows, limit, runFromRow);
}

export async function stepsOf(db: Database, row: Pick<RunRow, "id" | "workspaceId">): Promise<SwarmStep[]> {
  const rows = await db
    .select()
    .from(swarmSteps)
    .where(and(eq(swarmSteps.runId, row.id), eq(swarmSteps.workspaceId, row.workspaceId)))
    .orderBy(swarmSteps.seq);
  return rows.map(stepFromRow);
}

/** Workspace admins cancel any run; everyone else (and their API keys) only their own. */
export const coordinator = (env: Env, runId: string) => env.SWARM_COORDINATOR.getByName(runId);
