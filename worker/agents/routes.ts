// /api/agents: definitions, versions and rollback. Chat lives in chat-routes.ts.

import { z } from "@hono/zod-openapi";
import { audit } from "../audit/audit";
import { auditStatement } from "../audit/statement";
import { callerWith } from "../core/caller";
import { PageQuery, page, type Router } from "../core/openapi";
import { jsonRoute } from "../core/route";
import { signedIn } from "../core/signed-in";
import { usageTotals } from "../usage/report";
import { Agent, AgentIdParam, AgentVersion, CreateAgentBody, UpdateAgentBody, VersionParam } from "./schemas";
import {
  createAgent,
  deleteAgent,
  findVisibleAgent,
  listAgents,
  listVersions,
  loadDefinition,
  rollbackAgent,
  toAgent,
  updateAgent,
} from "./service";

export const AgentPage = page(Agent).openapi("AgentPage");
export const AgentVersionPage = page(AgentVersion).openapi("AgentVersionPage");
export const RollbackBody = z
  .object({ expected_version: z.number().int().min(1).optional() })
  .strict()
  .openapi("RollbackAgent");
export type AgentPage = z.infer<typeof AgentPage>;
export type AgentVersionPage = z.infer<typeof AgentVersionPage>;
export type RollbackBody = z.infer<typeof RollbackBody>;

const tags = ["agents"];

export function registerAgents(app: Router) {
  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/agents",
      tags,
      summary: "List the agents the caller can see",
      query: PageQuery,
      ok: [AgentPage, "A page of agents"],
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return c.json(await listAgents(c.var.services.db, signedIn(c.var.principal), limit, cursor), 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/agents",
      tags,
      summary: "Create an agent (version 1)",
      body: CreateAgentBody,
      created: [Agent, "Created"],
      errors: { 422: "Unusable model or unknown knowledge base" },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const db = c.var.services.db;
      const agent = await createAgent(db, c.var.config, p, c.req.valid("json"), (row) =>
        auditStatement(c, {
          action: "agent.create",
          targetType: "agent",
          targetId: row.id,
          detail: { version: 1, name: row.name },
        }),
      );
      return c.json(agent, 201);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/agents/{id}",
      tags,
      summary: "Get an agent with its current definition",
      params: AgentIdParam,
      ok: [Agent, "The agent"],
    }),
    async (c) => {
      const { p, db, row } = await callerWith(c, findVisibleAgent, c.req.valid("param").id);
      const [definition, usage] = await Promise.all([
        loadDefinition(db, row, row.currentVersion),
        usageTotals(db, p.workspaceId, "agentId", row.id),
      ]);
      return c.json({ ...toAgent(row, definition, p), usage }, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "patch",
      path: "/api/agents/{id}",
      tags,
      summary:
        "Change an agent; a change to its definition stores a new version (an edit that changes nothing stores none). Conversations answer with the agent's current version, not the one they started with",
      params: AgentIdParam,
      body: UpdateAgentBody,
      ok: [Agent, "Updated"],
      errors: { 409: "expected_version is stale" },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const { agent, changes } = await updateAgent(c.var.services.db, c.var.config, p, id, body);
      const visibility = body.visibility ? { visibility: body.visibility } : {};
      await audit(c, {
        action: "agent.update",
        targetType: "agent",
        targetId: id,
        detail: { version: agent.version, changes, ...visibility },
      });
      return c.json(agent, 200);
    },
  );

  app.openapi(
    jsonRoute({
      method: "delete",
      path: "/api/agents/{id}",
      tags,
      summary: "Delete an agent (soft: versions and history are kept)",
      params: AgentIdParam,
      noContent: "Deleted",
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { id } = c.req.valid("param");
      const row = await deleteAgent(c.var.services.db, p, id);
      await audit(c, { action: "agent.delete", targetType: "agent", targetId: id, detail: { name: row.name } });
      return c.body(null, 204);
    },
  );

  app.openapi(
    jsonRoute({
      method: "get",
      path: "/api/agents/{id}/versions",
      tags,
      summary: "List an agent's versions, newest first",
      params: AgentIdParam,
      query: PageQuery,
      ok: [AgentVersionPage, "A page of versions"],
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return c.json(
        await listVersions(c.var.services.db, signedIn(c.var.principal), c.req.valid("param").id, limit, cursor),
        200,
      );
    },
  );

  app.openapi(
    jsonRoute({
      method: "post",
      path: "/api/agents/{id}/versions/{version}/rollback",
      tags,
      summary: "Roll back: store a new version equal to an old one (none when the agent is already equal to it)",
      params: VersionParam,
      body: RollbackBody,
      bodyRequired: false,
      ok: [Agent, "The agent at its new version"],
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const { id, version } = c.req.valid("param");
      const { expected_version } = c.req.valid("json");
      const { agent, changes } = await rollbackAgent(c.var.services.db, c.var.config, p, id, version, expected_version);
      await audit(c, {
        action: "agent.rollback",
        targetType: "agent",
        targetId: id,
        detail: { from_version: version, version: agent.version, changes },
      });
      return c.json(agent, 200);
    },
  );
}
