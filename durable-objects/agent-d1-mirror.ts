// Copies the Agent's messages and status into D1, where history is listed and searched across
// conversations. The Agent's SQLite stays the source of truth; this runs behind it.
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../worker/core/db";
import { conversations, messages } from "../worker/core/db/schema";
import type { ConversationMessage } from "../worker/conversations/message-types";
import { writeLog } from "../worker/core/logger";
import type { MessageStore } from "./agent-message-store";

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

export type MirroredStatus = "idle" | "running" | "awaiting_approval" | "cancelled" | "error";

export async function mirrorStatus(db: Database, target: MirrorTarget, status: MirroredStatus, agentVersion?: number): Promise<void> {
  await db
    .update(conversations)
    .set({ status, updatedAt: sql`(unixepoch() * 1000)`, ...(agentVersion !== undefined ? { agentVersion } : {}) })
    .where(and(eq(conversations.id, target.conversationId), eq(conversations.workspaceId, target.workspaceId)));
}

/** The conversation's D1 row, written by the object when it opens the conversation. */
export type OpenedConversation = typeof conversations.$inferInsert;

/**
 * Serialises mirror runs (so D1 sees writes in order) and drains the store's outbox each run;
 * a failed run leaves the outbox as it was, for the next one.
 */
export class D1Mirror {
  private chain: Promise<void> = Promise.resolve();
  /** False once storage is known to hold no unwritten conversation row, so runs skip the read. */
  private openMayBePending = true;

  constructor(
    private readonly db: Database,
    private readonly store: MessageStore,
  ) {}

  /**
   * Writes the conversation's row now, ahead of everything else. It is kept in the object's
   * storage until it lands (every later run retries it), so neither a failed write nor an
   * eviction can leave a conversation that D1, and so the API, never hears of.
   */
  open(row: OpenedConversation): Promise<void> {
    this.store.setPendingOpen(JSON.stringify(row));
    this.openMayBePending = true;
    return this.run(row.id, () => this.writeOpen());
  }

  private async writeOpen(): Promise<void> {
    if (!this.openMayBePending) return;
    const opening = this.store.pendingOpen();
    if (opening) {
      await this.db.insert(conversations).values(JSON.parse(opening) as OpenedConversation).onConflictDoNothing();
      this.store.setPendingOpen(null);
    }
    this.openMayBePending = false;
  }

  private run(conversationId: string, work: () => Promise<void>): Promise<void> {
    this.chain = this.chain
      .then(work)
      .catch((err: unknown) => writeLog("warn", "conversation_mirror_failed", { conversation: conversationId, error: err instanceof Error ? err.message : String(err) }));
    return this.chain;
  }

  sync(target: MirrorTarget | null, status?: MirroredStatus, agentVersion?: number): Promise<void> {
    if (!target) return this.chain;
    return this.run(target.conversationId, async () => {
      await this.writeOpen();
      for (let batch = this.store.outbox(); batch.length; batch = this.store.outbox()) {
        await mirrorMessages(this.db, target, batch.map((b) => b.message));
        this.store.mirrored(batch.map((b) => ({ id: b.message.id, rev: b.rev })));
      }
      if (status) await mirrorStatus(this.db, target, status, agentVersion);
    });
  }
}
