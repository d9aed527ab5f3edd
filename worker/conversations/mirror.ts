// Copies the Agent's messages and status into D1, where history is listed and searched across
// conversations. The Agent's SQLite (durable-objects/agent-message-store.ts) stays the source of
// truth; this runs behind it. A turn's audit row and a first-message title ride along in the
// first batch that can carry them.
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AuditRow } from "../audit/audit";
import type { Database } from "../core/db";
import { auditLogs, conversations, messages } from "../core/db/schema";
import { writeLog } from "../core/logger";
import type { MirrorOutbox } from "./message-log";
import type { ConversationMessage } from "./message-types";

export interface MirrorTarget {
  workspaceId: string;
  conversationId: string;
}

/** Upserts of the given messages' D1 rows, one statement each. */
function messageUpserts(db: Database, target: MirrorTarget, batch: readonly ConversationMessage[]) {
  return batch.map((m) => {
    const row = {
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
      traceId: m.trace_id,
      createdAt: Date.parse(m.created_at),
    };
    return db
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
      });
  });
}

export type MirroredStatus = "idle" | "running" | "awaiting_approval" | "cancelled" | "error" | "blocked";

function statusUpdate(db: Database, target: MirrorTarget, status: MirroredStatus, agentVersion?: number) {
  return db
    .update(conversations)
    .set({ status, updatedAt: sql`(unixepoch() * 1000)`, ...(agentVersion !== undefined ? { agentVersion } : {}) })
    .where(and(eq(conversations.id, target.conversationId), eq(conversations.workspaceId, target.workspaceId)));
}

/** The conversation's D1 row, written by the object when it opens the conversation. */
export type OpenedConversation = typeof conversations.$inferInsert;

/** Messages per D1 batch. */
const OUTBOX_BATCH = 50;

/**
 * Serialises mirror runs (so D1 sees writes in order) and drains the store's outbox each run;
 * a failed run leaves the outbox as it was, for the next one.
 */
export class ConversationMirror {
  private chain: Promise<void> = Promise.resolve();
  /** False once storage is known to hold no unwritten conversation row, so runs skip the read. */
  private openMayBePending = true;
  /** The current message's audit row, until a sync batch carries it to D1. */
  private pendingAudit: AuditRow | null = null;
  /** A title for a conversation opened untitled, from its first message, until a sync batch carries it. */
  private pendingTitle: string | null = null;

  constructor(
    private readonly db: Database,
    private readonly store: MirrorOutbox,
  ) {}

  /** A new message's audit row (replacing any unsent one) and, if it names the conversation, its title. */
  carry(audit: AuditRow | null, title?: string): void {
    this.pendingAudit = audit;
    if (title !== undefined) this.pendingTitle = title;
  }

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
      await this.db
        .insert(conversations)
        .values(JSON.parse(opening) as OpenedConversation)
        .onConflictDoNothing();
      this.store.setPendingOpen(null);
    }
    this.openMayBePending = false;
  }

  private run(conversationId: string, work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch((err: unknown) =>
      writeLog("warn", "conversation_mirror_failed", {
        conversation: conversationId,
        error: err instanceof Error ? err.message : String(err),
      }),
    );
    return this.chain;
  }

  /**
   * Writes the unsent messages, the status if given, `also` (other rows that change with them,
   * such as the agent's usage totals) and what `carry` left: one D1 batch, a single transaction, per run unless
   * the outbox holds more than a batch. The end of a turn waits on this, so it is one round trip.
   */
  sync(
    target: MirrorTarget | null,
    status?: MirroredStatus,
    agentVersion?: number,
    also: readonly BatchItem<"sqlite">[] = [],
  ): Promise<void> {
    if (!target) return this.chain;
    const carried = [...also, ...this.takeCarried(target)];
    return this.run(target.conversationId, async () => {
      await this.writeOpen();
      for (;;) {
        const batch = this.store.outbox(OUTBOX_BATCH);
        const last = batch.length < OUTBOX_BATCH;
        const statements = [
          ...messageUpserts(
            this.db,
            target,
            batch.map((b) => b.message),
          ),
          ...(last && status ? [statusUpdate(this.db, target, status, agentVersion)] : []),
          ...(last ? carried : []),
        ];
        const [first, ...rest] = statements;
        if (first) await this.db.batch([first, ...rest]);
        this.store.mirrored(batch.map((b) => ({ id: b.message.id, rev: b.rev })));
        if (last) return;
      }
    });
  }

  /** The carried audit row and title as statements, handed over once. */
  private takeCarried(target: MirrorTarget): BatchItem<"sqlite">[] {
    const { pendingAudit: audit, pendingTitle: title } = this;
    this.pendingAudit = null;
    this.pendingTitle = null;
    const { conversationId, workspaceId } = target;
    return [
      ...(audit ? [this.db.insert(auditLogs).values(audit)] : []),
      // Only where the row is still untitled (the open-ahead title, if one was given, stays).
      ...(title !== null
        ? [
            this.db
              .update(conversations)
              .set({ title })
              .where(
                and(
                  eq(conversations.id, conversationId),
                  eq(conversations.workspaceId, workspaceId),
                  eq(conversations.title, ""),
                ),
              ),
          ]
        : []),
    ];
  }
}
