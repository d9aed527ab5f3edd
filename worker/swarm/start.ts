// Starting a swarm run, shared by POST /api/swarm/runs and evaluation runs over a swarm
// (worker/evals/run-swarm-case.ts): the task screened once by the workspace's safety policy, the
// run row written with its audit row, then its coordinator started. A coordinator that cannot
// start leaves the run failed, audited.
import type { RunAgent, RunConfig, SwarmRunDetail } from "@hive/shared/swarm-protocol";
import type { AuditRow } from "../audit/audit";
import { turnGuard } from "../chat/guard";
import type { Config } from "../core/config";
import type { Database } from "../core/db";
import { auditLogs } from "../core/db/schema";
import { ApiError } from "../core/errors";
import type { AuthenticatedPrincipal } from "../core/principal";
import { callDurableObject } from "../core/trace/rpc";
import type { Defer } from "../safety/events";
import { coordinator, insertRun, markFailed } from "./service";

export interface SwarmStarter {
  env: Env;
  config: Config;
  db: Database;
  caller: Pick<AuthenticatedPrincipal, "workspaceId" | "userId">;
  requestId: string | null;
  defer: Defer;
}

/** The task as the input stage lets it through (redacted if so); 422 when the policy blocks it. */
export async function screenTask(s: SwarmStarter, task: string): Promise<string> {
  // The task is the run's only text from the caller: the input stage checks it once, here. Each
  // step's assignment is the coordinator's own text around it; what one step hands the next is
  // checked as it leaves its step (worker/chat/swarm-turn.ts).
  const guard = await turnGuard(
    s.env,
    s.config,
    "swarm",
    { workspaceId: s.caller.workspaceId, agentId: null, requestId: s.requestId },
    s.defer,
  );
  const screened = await guard.check("input", task);
  if (screened.action === "block") {
    throw new ApiError("UNPROCESSABLE", "The task was blocked by the workspace's safety policy", {
      details: {
        stage: "input",
        findings: screened.findings.map(({ detector, category, score }) => ({ detector, category, score })),
      },
    });
  }
  return screened.action === "redact" ? screened.text : task;
}

/** Writes the run (with `audit`, its start's audit row) and starts its coordinator. */
export async function launchRun(
  s: SwarmStarter,
  id: string,
  config: RunConfig,
  pinned: RunAgent[],
  audit: AuditRow,
): Promise<SwarmRunDetail> {
  const { workspaceId, userId } = s.caller;
  await insertRun(s.db, s.caller, id, config, pinned, Date.now(), s.db.insert(auditLogs).values(audit));
  try {
    return await callDurableObject("SwarmCoordinator", "start", (traceparent) =>
      coordinator(s.env, id).start({
        runId: id,
        workspaceId,
        createdBy: userId,
        config,
        agents: pinned,
        createdAt: Date.now(),
        traceparent,
      }),
    );
  } catch (err) {
    await markFailed(s.db, { id, workspaceId }, "the coordinator could not be started");
    throw new ApiError("UNAVAILABLE", "The swarm coordinator could not be reached; try again", { cause: err });
  }
}
