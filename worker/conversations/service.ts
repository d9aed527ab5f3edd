// Conversations in D1. A conversation belongs to one user in one workspace: every lookup
// filters by both, so another user's or another tenant's id is simply not found.
import { and, eq } from "drizzle-orm";
import { newestFirst, toPage } from "../core/cursor";
import type { Database } from "../core/db";
import { conversations } from "../core/db/schema";
import { ApiError, notFound } from "../core/errors";
import { IsolateCache } from "../core/isolate-cache";
import type { AuthenticatedPrincipal } from "../core/principal";
import type { RpcFailure } from "./agent-rpc";
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
    .where(
      and(eq(conversations.id, id), eq(conversations.workspaceId, p.workspaceId), eq(conversations.userId, p.userId)),
    )
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

/** A conversation's title: its first message on one line, cut at 80 characters. */
export const conversationTitle = (firstMessage: string) => firstMessage.replace(/\s+/g, " ").trim().slice(0, 80);

/** Who owns a conversation, as the chat path checks it. */
export interface ConversationOwner {
  workspaceId: string;
  userId: string;
  agentId: string;
}

/** Conversations this isolate opened or looked up, so continuing one costs no D1 read; deleting one (or a workspace) here forgets them. The Agent remains the authority: it refuses any caller it was not bound to. */
export const conversationOwners = new IsolateCache<ConversationOwner>(
  /^\/api\/(conversations\/[^/]+|workspaces(\/.*)?|admin(\/.*)?)$/,
);

/** The caller's conversation (404 for anyone else's): from this isolate's cache, else D1. */
export async function findConversationOwner(
  db: Database,
  p: AuthenticatedPrincipal,
  id: string,
  ttlSeconds: number,
): Promise<ConversationOwner & { id: string }> {
  const cached = conversationOwners.get(id);
  if (cached && cached.workspaceId === p.workspaceId && cached.userId === p.userId) return { id, ...cached };
  const row = await findConversation(db, p, id);
  const owner = { workspaceId: row.workspaceId, userId: row.userId, agentId: row.agentId };
  conversationOwners.set(id, owner, ttlSeconds);
  return { id, ...owner };
}

export async function listConversations(
  db: Database,
  p: AuthenticatedPrincipal,
  limit: number,
  cursor?: string,
  agentId?: string,
) {
  const rows = await newestFirst(
    db.select().from(conversations).$dynamic(),
    conversations,
    { cursor, limit },
    eq(conversations.workspaceId, p.workspaceId),
    eq(conversations.userId, p.userId),
    agentId ? eq(conversations.agentId, agentId) : undefined,
  );
  return toPage(rows, limit, toConversation);
}

export async function deleteConversationRow(db: Database, p: AuthenticatedPrincipal, id: string): Promise<void> {
  await db
    .delete(conversations)
    .where(
      and(eq(conversations.id, id), eq(conversations.workspaceId, p.workspaceId), eq(conversations.userId, p.userId)),
    );
}

/** The conversation's Agent (only after the conversation was found for this principal). No separate wake-up call: the SDK starts a cold Agent's lifecycle
 * inside the first async RPC (and `ctx.id.name` gives it its name), so each call is one round trip. */
export const conversationAgent = (env: Env, conversationId: string) => env.CONVERSATION_AGENT.getByName(conversationId);

export const callerOf = (p: AuthenticatedPrincipal) => ({ workspaceId: p.workspaceId, userId: p.userId });

/** Turns a refusal from the Agent into the API's error envelope. */
export function unwrap<T extends object>(result: T | RpcFailure): Exclude<T, RpcFailure> {
  if ("ok" in result && result.ok === false) {
    const failure = result as RpcFailure;
    throw new ApiError(failure.code, failure.message, failure.details ? { details: failure.details } : {});
  }
  return result as Exclude<T, RpcFailure>;
}
