// Agent definitions in D1. Every create and every definition change inserts a new immutable
// row in agent_versions together with the agents row, in one batch (D1 batches are
// transactions), and the version's primary key turns a concurrent edit into a 409, not a
// lost update.
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Config } from "../core/config";
import { cursorPosition, newestFirst, toPage, toPositionPage } from "../core/cursor";
import type { Database } from "../core/db";
import { findRow } from "../core/db/find";
import { agents, agentVersions, knowledgeBases } from "../core/db/schema";
import { ApiError, firstOrNotFound, notFound } from "../core/errors";
import { newId } from "../core/ids";
import { IsolateCache } from "../core/isolate-cache";
import type { AuthenticatedPrincipal } from "../core/principal";
import { parsePacing, scriptedAllowed } from "../core/providers/paced-model";
import { canEditAgent, isVisibleTo, visibleAgents } from "./access";
import { definitionChanges, type FieldChange } from "./changes";
import {
  type Agent,
  AgentDefinition,
  type AgentVersion,
  type CreateAgentBody,
  changesDefinition,
  type UpdateAgentBody,
} from "./schemas";

export type AgentRow = typeof agents.$inferSelect;
const iso = (ms: number) => new Date(ms).toISOString();

export function parseDefinition(stored: unknown): AgentDefinition {
  return AgentDefinition.parse(stored);
}

export function toAgent(row: AgentRow, definition: AgentDefinition, p: AuthenticatedPrincipal): Agent {
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    owner_id: row.ownerId,
    visibility: row.visibility,
    name: row.name,
    description: row.description,
    version: row.currentVersion,
    definition,
    tokens_in: row.tokensIn,
    tokens_out: row.tokensOut,
    can_edit: canEditAgent(p, row),
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

/** Checks what the schema cannot: the model is usable here and the knowledge bases exist in this workspace. */
export async function checkDefinition(
  db: Database,
  config: Config,
  workspaceId: string,
  def: AgentDefinition,
): Promise<void> {
  const problems: { path: string; message: string }[] = [];
  [def.model, ...def.fallback_models].forEach((m, i) => {
    const path = i === 0 ? "model" : `fallback_models.${i - 1}`;
    if (m.provider === "scripted" && !scriptedAllowed(config)) {
      problems.push({ path, message: "the scripted model exists only in development and test" });
    }
    if (m.provider === "scripted" && !parsePacing(m.id)) {
      problems.push({ path: `${path}.id`, message: "scripted ids are <tokens>:<interval ms>" });
    }
    if (m.provider === "workers-ai" && !/^@(cf|hf)\//.test(m.id))
      problems.push({ path: `${path}.id`, message: "Workers AI model ids start with @cf/ or @hf/" });
  });
  if (def.knowledge_base_ids.length > 0) {
    const found = await db
      .select({ id: knowledgeBases.id })
      .from(knowledgeBases)
      .where(and(eq(knowledgeBases.workspaceId, workspaceId), inArray(knowledgeBases.id, def.knowledge_base_ids)));
    const known = new Set(found.map((r) => r.id));
    const missing = def.knowledge_base_ids.filter((id) => !known.has(id));
    if (missing.length)
      problems.push({ path: "knowledge_base_ids", message: `unknown knowledge bases: ${missing.join(", ")}` });
  }
  if (problems.length) {
    throw new ApiError("UNPROCESSABLE", "The agent definition cannot be used", {
      details: { fields: problems.map((p) => ({ ...p, code: "custom" })) },
    });
  }
}

/** The agent if the principal may see it; 404 otherwise (another tenant's id included). */
export function findVisibleAgent(db: Database, p: AuthenticatedPrincipal, id: string): Promise<AgentRow> {
  return findRow(db, agents, and(eq(agents.id, id), visibleAgents(p)), "Agent");
}

/** The agent with its current definition, visible to the caller; a query so it can join a D1 batch. */
export function agentForChatQuery(db: Database, p: AuthenticatedPrincipal, id: string) {
  return db
    .select({ agent: agents, definition: agentVersions.definition })
    .from(agents)
    .innerJoin(
      agentVersions,
      and(eq(agentVersions.agentId, agents.id), eq(agentVersions.version, agents.currentVersion)),
    )
    .where(and(eq(agents.id, id), visibleAgents(p)))
    .limit(1);
}

export function readAgentForChat(rows: { agent: AgentRow; definition: unknown }[]): {
  agent: AgentRow;
  definition: AgentDefinition;
} {
  const row = rows[0];
  if (!row) throw notFound("Agent");
  return { agent: row.agent, definition: parseDefinition(row.definition) };
}

export interface ChatAgent {
  agent: AgentRow;
  definition: AgentDefinition;
}

/** Agents as chat reads them, per workspace and id. Creating, editing, deleting or rolling back an
 * agent (or changing a workspace) in this isolate forgets them all; chatting does not. */
const chatAgents = new IsolateCache<ChatAgent>(
  /^\/api\/(agents(\/[^/]+(\/versions(\/.*)?)?)?|workspaces(\/.*)?|admin(\/.*)?)$/,
);

/**
 * The agent and its current definition, if the caller may use it (the chat path counts every
 * round trip): from this isolate's cache when it was read within DEFINITION_CACHE_TTL_SECONDS,
 * else in one query. Visibility is judged for this caller either way.
 */
export async function findAgentForChat(
  db: Database,
  p: AuthenticatedPrincipal,
  id: string,
  ttlSeconds: number,
): Promise<ChatAgent> {
  const key = `${p.workspaceId}:${id}`;
  const cached = chatAgents.get(key);
  if (cached) {
    if (!isVisibleTo(p, cached.agent)) throw notFound("Agent");
    return cached;
  }
  const found = readAgentForChat(await agentForChatQuery(db, p, id));
  chatAgents.set(key, found, ttlSeconds);
  return found;
}

export async function loadDefinition(
  db: Database,
  agent: Pick<AgentRow, "id" | "workspaceId">,
  version: number,
): Promise<AgentDefinition> {
  const row = await firstOrNotFound(
    db
      .select({ definition: agentVersions.definition })
      .from(agentVersions)
      .where(
        and(
          eq(agentVersions.agentId, agent.id),
          eq(agentVersions.workspaceId, agent.workspaceId),
          eq(agentVersions.version, version),
        ),
      )
      .limit(1),
    "Agent version",
  );
  return parseDefinition(row.definition);
}

export async function listAgents(db: Database, p: AuthenticatedPrincipal, limit: number, cursor?: string) {
  const rows = await newestFirst(
    db
      .select({ agent: agents, definition: agentVersions.definition })
      .from(agents)
      .innerJoin(
        agentVersions,
        and(eq(agentVersions.agentId, agents.id), eq(agentVersions.version, agents.currentVersion)),
      )
      .$dynamic(),
    agents,
    { cursor, limit },
    visibleAgents(p),
  );
  return toPage(
    rows.map((r) => ({ ...r, createdAt: r.agent.createdAt, id: r.agent.id })),
    limit,
    (r) => toAgent(r.agent, parseDefinition(r.definition), p),
  );
}

/**
 * Inserts the agent and its version 1, plus the rows `alongside` names for it (its audit row), in
 * one batch: a D1 failure leaves none of them, so a retry cannot find half an agent.
 */
export async function createAgent(
  db: Database,
  config: Config,
  p: AuthenticatedPrincipal,
  body: CreateAgentBody,
  alongside: (agent: AgentRow) => BatchItem<"sqlite">,
) {
  const { visibility, ...definition } = body;
  await checkDefinition(db, config, p.workspaceId, definition);
  const now = Date.now();
  const row: AgentRow = {
    id: newId("agt"),
    workspaceId: p.workspaceId,
    ownerId: p.userId,
    visibility,
    name: definition.name,
    description: definition.description,
    currentVersion: 1,
    tokensIn: 0,
    tokensOut: 0,
    deletedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(agents).values(row),
    db.insert(agentVersions).values({
      agentId: row.id,
      workspaceId: p.workspaceId,
      version: 1,
      definition,
      createdBy: p.userId,
      createdAt: now,
    }),
    alongside(row),
  ]);
  return toAgent(row, definition, p);
}

function requireEditable(p: AuthenticatedPrincipal, row: AgentRow) {
  if (!canEditAgent(p, row))
    throw new ApiError("FORBIDDEN", "Only the agent's owner or a workspace admin may change it");
}

/** Writes `definition` as version current+1; fails with 409 if someone else got there first. */
async function writeVersion(
  db: Database,
  p: AuthenticatedPrincipal,
  row: AgentRow,
  definition: AgentDefinition,
  extra: Partial<AgentRow> = {},
) {
  const version = row.currentVersion + 1;
  const now = Date.now();
  try {
    await db.batch([
      db.insert(agentVersions).values({
        agentId: row.id,
        workspaceId: row.workspaceId,
        version,
        definition,
        createdBy: p.userId,
        createdAt: now,
      }),
      db
        .update(agents)
        .set({
          currentVersion: version,
          name: definition.name,
          description: definition.description,
          updatedAt: now,
          ...extra,
        })
        .where(
          and(
            eq(agents.id, row.id),
            eq(agents.workspaceId, row.workspaceId),
            eq(agents.currentVersion, row.currentVersion),
          ),
        ),
    ]);
  } catch (err) {
    if (String(err).includes("UNIQUE") || String(err).includes("PRIMARY KEY")) {
      throw new ApiError("CONFLICT", "The agent changed while this update was being made; reload and retry");
    }
    throw err;
  }
  return {
    ...row,
    ...extra,
    currentVersion: version,
    name: definition.name,
    description: definition.description,
    updatedAt: now,
  };
}

/** An edit's result: the agent, and what changed in its definition (empty: no new version was stored). */
export interface AgentEdit {
  agent: Agent;
  changes: Record<string, FieldChange>;
}

export async function updateAgent(
  db: Database,
  config: Config,
  p: AuthenticatedPrincipal,
  id: string,
  body: UpdateAgentBody,
): Promise<AgentEdit> {
  const row = await findVisibleAgent(db, p, id);
  requireEditable(p, row);
  if (body.expected_version !== undefined && body.expected_version !== row.currentVersion) {
    throw new ApiError("CONFLICT", `The agent is at version ${row.currentVersion}, not ${body.expected_version}`, {
      details: { current_version: row.currentVersion },
    });
  }
  const current = await loadDefinition(db, row, row.currentVersion);
  const extra = body.visibility && body.visibility !== row.visibility ? { visibility: body.visibility } : {};
  const { visibility: _v, expected_version: _e, safety, ...fields } = body;
  const next = changesDefinition(body)
    ? AgentDefinition.parse({ ...current, ...fields, safety: safety ?? current.safety })
    : current;
  const changes = definitionChanges(current, next);
  // An edit that changes nothing in the definition stores no version (a visibility change is not one).
  if (Object.keys(changes).length === 0) {
    if (Object.keys(extra).length === 0) return { agent: toAgent(row, current, p), changes };
    const now = Date.now();
    await db
      .update(agents)
      .set({ ...extra, updatedAt: now })
      .where(and(eq(agents.id, row.id), eq(agents.workspaceId, p.workspaceId)));
    return { agent: toAgent({ ...row, ...extra, updatedAt: now }, current, p), changes };
  }
  await checkDefinition(db, config, p.workspaceId, next);
  return { agent: toAgent(await writeVersion(db, p, row, next, extra), next, p), changes };
}

export async function deleteAgent(db: Database, p: AuthenticatedPrincipal, id: string): Promise<AgentRow> {
  const row = await findVisibleAgent(db, p, id);
  requireEditable(p, row);
  await db
    .update(agents)
    .set({ deletedAt: Date.now() })
    .where(and(eq(agents.id, row.id), eq(agents.workspaceId, p.workspaceId)));
  return row;
}

export async function listVersions(
  db: Database,
  p: AuthenticatedPrincipal,
  id: string,
  limit: number,
  cursor?: string,
) {
  const row = await findVisibleAgent(db, p, id);
  const before = cursorPosition(cursor, 1);
  const rows = await db
    .select()
    .from(agentVersions)
    .where(
      and(
        eq(agentVersions.agentId, row.id),
        eq(agentVersions.workspaceId, p.workspaceId),
        before ? lt(agentVersions.version, before) : undefined,
      ),
    )
    .orderBy(desc(agentVersions.version))
    .limit(limit + 1);
  return toPositionPage(
    rows,
    limit,
    (v) => v.version,
    (v): AgentVersion => ({
      agent_id: v.agentId,
      version: v.version,
      definition: parseDefinition(v.definition),
      created_by: v.createdBy,
      created_at: iso(v.createdAt),
      current: v.version === row.currentVersion,
    }),
  );
}

export async function rollbackAgent(
  db: Database,
  config: Config,
  p: AuthenticatedPrincipal,
  id: string,
  version: number,
  expected?: number,
): Promise<AgentEdit> {
  const row = await findVisibleAgent(db, p, id);
  requireEditable(p, row);
  if (expected !== undefined && expected !== row.currentVersion) {
    throw new ApiError("CONFLICT", `The agent is at version ${row.currentVersion}, not ${expected}`, {
      details: { current_version: row.currentVersion },
    });
  }
  const target = await loadDefinition(db, row, version);
  const current = version === row.currentVersion ? target : await loadDefinition(db, row, row.currentVersion);
  const changes = definitionChanges(current, target);
  // Rolling back to what the agent already is stores nothing.
  if (Object.keys(changes).length === 0) return { agent: toAgent(row, current, p), changes };
  // The old version may name a knowledge base deleted since; the rollback must still be usable.
  await checkDefinition(db, config, p.workspaceId, target);
  return { agent: toAgent(await writeVersion(db, p, row, target), target, p), changes };
}

/** The statement adding a finished answer's usage to the agent's running totals (null if none). */
export function agentUsageUpdate(
  db: Database,
  workspaceId: string,
  agentId: string,
  tokensIn: number,
  tokensOut: number,
) {
  if (tokensIn <= 0 && tokensOut <= 0) return null;
  return db
    .update(agents)
    .set({ tokensIn: sql`${agents.tokensIn} + ${tokensIn}`, tokensOut: sql`${agents.tokensOut} + ${tokensOut}` })
    .where(and(eq(agents.id, agentId), eq(agents.workspaceId, workspaceId)));
}

/** Adds a finished answer's usage to the agent's running totals. */
export async function addAgentUsage(
  db: Database,
  workspaceId: string,
  agentId: string,
  tokensIn: number,
  tokensOut: number,
) {
  await agentUsageUpdate(db, workspaceId, agentId, tokensIn, tokensOut);
}
