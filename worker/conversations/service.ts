// Conversations in D1. A conversation belongs to one user in one workspace: every lookup
// filters by both, so another user's or another tenant's id is simply not found.
import { and, desc, eq, sql } from "drizzle-orm";
import { getAgentByName } from "agents";
import { afterCursor, toPage } from "../audit/cursor";
import type { Database } from "../core/db";
import { agents, conversations } from "../core/db/schema";
import { visibleAgents } from "../agents/access";
import { ApiError, notFound } from "../core/errors";
import { newId } from "../core/ids";
import type { AuthenticatedPrincipal } from "../core/principal";
import type { RpcFailure } from "../../durable-objects/agent-protocol";
import type { Conversation } from "./schemas";

export type ConversationRow = typeof conversations.$inferSelect;

export const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  agent_id: r.agentId,
  agent_version: r.agentVersion,
  title: r.title,
  status: r.status,
  created_at: new Date(r.createdAt).toISOString(),
  updated_at: new Date(r.updatedAt).toISOString(),
});

/** The caller's own conversation; a query so it can join a D1 batch. */
export function conversationQuery(db: Database, p: AuthenticatedPrincipal, id: string) {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.workspaceId, p.workspaceId), eq(conversations.userId, p.userId)))
    .limit(1);
}

export function readConversation(rows: ConversationRow[]): ConversationRow {
  const row = rows[0];
  if (!row) throw notFound("Conversation");
  return row;
}

export async function findConversation(db: Database, p: AuthenticatedPrincipal, id: string): Promise<ConversationRow> {
  return readConversation(await conversationQuery(db, p, id));
}

/**
 * A new conversation row, inserted only if the agent is still visible to the caller — the
 * check and the insert are one statement, so it can ride in the same D1 batch as the lookup.
 */
export function insertConversationFor(db: Database, p: AuthenticatedPrincipal, agentId: string, firstMessage: string) {
  const id = newId("conv");
  const now = Date.now();
  const title = firstMessage.replace(/\s+/g, " ").trim().slice(0, 80);
  // Column order follows the table definition (drizzle lists every column for insert...select).
  const query = db.insert(conversations).select(
    sql`SELECT ${id}, ${p.workspaceId}, ${agents.id}, ${agents.currentVersion}, ${p.userId}, ${title}, 'running', ${now}, ${now}
        FROM ${agents} WHERE ${and(eq(agents.id, agentId), visibleAgents(p))}`,
  );
  return { id, query };
}

export async function listConversations(db: Database, p: AuthenticatedPrincipal, limit: number, cursor?: string, agentId?: string) {
  const rows = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.workspaceId, p.workspaceId),
        eq(conversations.userId, p.userId),
        agentId ? eq(conversations.agentId, agentId) : undefined,
        afterCursor(cursor, conversations.createdAt, conversations.id),
      ),
    )
    .orderBy(desc(conversations.createdAt), desc(conversations.id))
    .limit(limit + 1);
  return toPage(rows, limit, toConversation);
}

export async function deleteConversationRow(db: Database, p: AuthenticatedPrincipal, id: string): Promise<void> {
  await db.delete(conversations).where(and(eq(conversations.id, id), eq(conversations.workspaceId, p.workspaceId), eq(conversations.userId, p.userId)));
}

/** The conversation's Agent. Only call after the conversation was found for this principal. */
export const conversationAgent = (env: Env, conversationId: string) => getAgentByName(env.CONVERSATION_AGENT, conversationId);

export const callerOf = (p: AuthenticatedPrincipal) => ({ workspaceId: p.workspaceId, userId: p.userId });

/** Turns a refusal from the Agent into the API's error envelope. */
export function unwrap<T extends object>(result: T | RpcFailure): Exclude<T, RpcFailure> {
  if ("ok" in result && result.ok === false) {
    const failure = result as RpcFailure;
    throw new ApiError(failure.code, failure.message, failure.details ? { details: failure.details } : {});
  }
  return result as Exclude<T, RpcFailure>;
}
