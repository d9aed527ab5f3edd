// Copies the Agent's messages and status into D1, where history is listed and searched across
// conversations. The Agent's SQLite stays the source of truth; this runs behind it.
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../worker/core/db";
import { conversations, messages } from "../worker/core/db/schema";
import type { ConversationMessage } from "../worker/conversations/message-types";

export interface MirrorTarget {
  workspaceId: string;
  conversationId: string;
}

export async function mirrorMessages(db: Database, target: MirrorTarget, batch: readonly ConversationMessage[]): Promise<void> {
  const rows = batch.map((m) => ({
    id: m.id,
    workspaceId: target.workspaceId,
    conversationId: target.conversationId,
    seq: m.seq,
    role: m.role,
    content: m.content,
    toolCalls: m.tool_calls,
    citations: m.citations,
    tokensIn: m.tokens_in,
    tokensOut: m.tokens_out,
    latencyMs: m.latency_ms,
    model: m.model,
    degraded: m.degraded,
    status: m.status,
    toolCallId: m.tool_call_id,
    toolName: m.tool_name,
    agentVersion: m.agent_version,
    createdAt: Date.parse(m.created_at),
  }));
  const [first, ...rest] = rows.map((row) =>
      db
        .insert(messages)
        .values(row)
        .onConflictDoUpdate({
          target: messages.id,
          set: {
            content: row.content,
            status: row.status,
            toolCalls: row.toolCalls,
            citations: row.citations,
            tokensIn: row.tokensIn,
            tokensOut: row.tokensOut,
            latencyMs: row.latencyMs,
            model: row.model,
            degraded: row.degraded,
          },
          // Never let a mirror write cross into another tenant's row, whatever the id.
          setWhere: and(eq(messages.workspaceId, target.workspaceId), eq(messages.conversationId, target.conversationId)),
        }),
  );
  if (first) await db.batch([first, ...rest]);
}

export async function mirrorStatus(
  db: Database,
  target: MirrorTarget,
  status: "idle" | "running" | "awaiting_approval" | "cancelled" | "error",
  agentVersion?: number,
): Promise<void> {
  await db
    .update(conversations)
    .set({ status, updatedAt: sql`(unixepoch() * 1000)`, ...(agentVersion !== undefined ? { agentVersion } : {}) })
    .where(and(eq(conversations.id, target.conversationId), eq(conversations.workspaceId, target.workspaceId)));
}
