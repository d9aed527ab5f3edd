// /api/swarm/runs: start a run (its coordinator Durable Object drives it), list and read runs
// (live from the coordinator while open, from D1 once ended), cancel, and a short-lived token
// for the run's event socket (socket-route.ts).

import {
  isTerminal,
  type RunStatus,
  StartRunBody,
  SwarmCancelResult,
  SwarmRunDetail,
  SwarmRunPage,
  SwarmSocketToken,
} from "@hive/shared/swarm-protocol";
import { audit, auditRow } from "../audit/audit";
import { socketPrincipal } from "../auth/live-principal";
import { signSocketToken } from "../auth/socket-token";
import { background } from "../core/background";
import { callerWith } from "../core/caller";
import { newId } from "../core/ids";
import type { Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { cancelRun } from "../core/run-cancel";
import { signedIn } from "../core/signed-in";
import { usageTotals } from "../usage/report";
import { runFromRow } from "./records";
import { RunIdParam, RunListQuery } from "./schemas";
import { checkBudgets, coordinator, findRun, listRuns, resolveAgents, stepsOf } from "./service";
import { launchRun, type SwarmStarter, screenTask } from "./start";

const tags = ["swarm"];

export function registerSwarm(app: Router) {
  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/swarm/runs",
      tags,
      summary: "Start a swarm run: agents working one task together (pipeline, parallel, router or debate)",
      body: StartRunBody,
      created: [SwarmRunDetail, "The run, started"],
      errors: { 422: "Unknown agents, or budgets the run cannot fit in", 503: "The coordinator could not be reached" },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const db = c.var.services.db;
      const config = c.req.valid("json");
      checkBudgets(config);
      const starter: SwarmStarter = {
        env: c.env,
        config: c.var.config,
        db,
        caller: p,
        requestId: c.var.requestId,
        defer: (w) => background(c, "safety_events", w),
      };
      config.task = await screenTask(starter, config.task);
      const pinned = await resolveAgents(db, p, config);
      const id = newId("run");
      // The audit row is written with the run, before its coordinator starts: a D1 failure leaves
      // neither, and a coordinator that cannot start leaves the run failed, audited.
      const started = auditRow(c, {
        action: "swarm.run.start",
        targetType: "swarm_run",
        targetId: id,
        detail: { strategy: config.strategy, agents: pinned.map((a) => a.id) },
      });
      const run = await launchRun(starter, id, config, pinned, started);
      return c.json(run, 201);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/swarm/runs",
      tags,
      summary: "List the workspace's swarm runs, newest first",
      query: RunListQuery,
      ok: [SwarmRunPage, "A page of runs"],
    }),
    async (c) => {
      const { limit, cursor, status } = c.req.valid("query");
      return c.json(await listRuns(c.var.services.db, signedIn(c.var.principal), limit, cursor, status), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/swarm/runs/{id}",
      tags,
      summary: "A run with its steps: who did what, input, output, tokens, timings, votes",
      params: RunIdParam,
      ok: [SwarmRunDetail, "The run"],
    }),
    async (c) => {
      const { p, db, row } = await callerWith(c, findRun, c.req.valid("param").id);
      const usage = () => usageTotals(db, p.workspaceId, "runId", row.id);
      if (!isTerminal(row.status as RunStatus)) {
        // Open runs are read from the coordinator (authoritative, and reading it wakes an evicted one).
        const [live, spent] = await Promise.all([coordinator(c.env, row.id).snapshot(p.workspaceId), usage()]);
        if (live) return c.json({ ...live, usage: spent }, 200);
      }
      const [steps, spent] = await Promise.all([stepsOf(db, row), usage()]);
      return c.json({ ...runFromRow(row), steps, usage: spent }, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/swarm/runs/{id}/cancel",
      tags,
      summary: "Cancel a run: every agent turn in flight is aborted and the run ends cancelled",
      params: RunIdParam,
      ok: [SwarmCancelResult, "Whether the run was cancelled, and the run"],
    }),
    async (c) => {
      const { p, row } = await callerWith(c, findRun, c.req.valid("param").id);
      const result = await cancelRun(p, row, () => coordinator(c.env, row.id).cancel(p.workspaceId, p.userId));
      await audit(c, {
        action: "swarm.run.cancel",
        targetType: "swarm_run",
        targetId: row.id,
        detail: { cancelled: result.cancelled, status: result.run.status },
      });
      return c.json({ cancelled: result.cancelled, run: result.run }, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/swarm/runs/{id}/socket-token",
      tags,
      summary: "A 60-second token to open the run's event WebSocket",
      params: RunIdParam,
      ok: [SwarmSocketToken, "Token and socket path"],
    }),
    async (c) => {
      const { p, row } = await callerWith(c, findRun, c.req.valid("param").id);
      const { token, expiresAt } = await signSocketToken(c.var.config, "run", socketPrincipal(p), row.id);
      await audit(c, { action: "swarm.run.socket_token", targetType: "swarm_run", targetId: row.id });
      return c.json(
        {
          token,
          expires_at: new Date(expiresAt).toISOString(),
          url: `/api/swarm/runs/${row.id}/events?token=${encodeURIComponent(token)}`,
        },
        200,
      );
    },
  );
}
