// Conversations in D1. A conversation belongs to one user in one workspace: every lookup
// filters by both, so another user's or another tenant's id is simply not found.
import { and, desc, eq } from "drizzle-orm";
import { getAgentByName } from "agents";
import { afterCursor, toPage } from "../audit/cursor";
import type { Database } from "../core/db";
import { conversations } from "../core/db/schema";
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

export async function findConversation(db: Database, p: AuthenticatedPrincipal, id: string): Promise<ConversationRow> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.workspaceId, p.workspaceId), eq(conversations.userId, p.userId)))
    .limit(1);
  if (!row) throw notFound("Conversation");
  return row;
}

export async function createConversation(db: Database, p: AuthenticatedPrincipal, agentId: string, agentVersion: number, firstMessage: string): Promise<ConversationRow> {
  const now = Date.now();
  const title = firstMessage.replace(/\s+/g, " ").trim().slice(0, 80);
  const row: ConversationRow = { id: newId("conv"), workspaceId: p.workspaceId, agentId, agentVersion, userId: p.userId, title, status: "running", createdAt: now, updatedAt: now };
  await db.insert(conversations).values(row);
  return row;
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
