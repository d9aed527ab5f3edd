// The conversation's messages in the Agent's own SQLite: one row per message (a SQLite value
// is capped at 2 MB; inputs, answers and tool results are all capped well below that).
// Every write also lands in an outbox; the D1 mirror drains it, so a failed mirror write is
// retried later instead of being lost.
import type { MessageLog, MessagePatch, MirrorOutbox, NewMessage } from "../worker/conversations/message-log";
import type { ConversationMessage, MessageStatus } from "../worker/conversations/message-types";
import { activeTraceId } from "../worker/core/trace/links";
import { addColumnIfMissing } from "./sql-columns";

interface Row extends Record<string, SqlStorageValue> {
  id: string;
  seq: number;
  role: string;
  content: string;
  status: string;
  tool_calls: string | null;
  tool_call_id: string | null;
  tool_name: string | null;
  citations: string | null;
  tokens_in: number;
  tokens_out: number;
  latency_ms: number | null;
  model: string | null;
  degraded: number;
  agent_version: number | null;
  trace_id: string | null;
  created_at: number;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

type StoredCitations = NonNullable<ConversationMessage["citations"]>;
/** Messages stored before citations were structured kept bare passage ids: nothing a client can link, so they read as none. */
function citationsOf(raw: string | null): StoredCitations | null {
  if (!raw) return null;
  const kept = (JSON.parse(raw) as unknown[]).filter(
    (c): c is StoredCitations[number] => typeof c === "object" && c !== null,
  );
  return kept.length ? kept : null;
}

function toMessage(r: Row): ConversationMessage {
  return {
    id: r.id,
    seq: r.seq,
    role: r.role as ConversationMessage["role"],
    content: r.content,
    status: r.status as MessageStatus,
    tool_calls: r.tool_calls ? (JSON.parse(r.tool_calls) as ConversationMessage["tool_calls"]) : null,
    tool_call_id: r.tool_call_id,
    tool_name: r.tool_name,
    citations: citationsOf(r.citations),
    tokens_in: r.tokens_in,
    tokens_out: r.tokens_out,
    latency_ms: r.latency_ms,
    model: r.model,
    degraded: r.degraded === 1,
    agent_version: r.agent_version,
    trace_id: r.trace_id ?? null,
    created_at: new Date(r.created_at).toISOString(),
  };
}

export class MessageStore implements MessageLog, MirrorOutbox {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS lh_messages (
      id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, role TEXT NOT NULL, content TEXT NOT NULL,
      status TEXT NOT NULL, tool_calls TEXT, tool_call_id TEXT, tool_name TEXT, citations TEXT,
      tokens_in INTEGER NOT NULL DEFAULT 0, tokens_out INTEGER NOT NULL DEFAULT 0, latency_ms INTEGER,
      model TEXT, degraded INTEGER NOT NULL DEFAULT 0, agent_version INTEGER, created_at INTEGER NOT NULL,
      trace_id TEXT);
      CREATE TABLE IF NOT EXISTS lh_mirror_outbox (message_id TEXT PRIMARY KEY, rev INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS lh_mirror_open (one INTEGER PRIMARY KEY CHECK (one = 1), row TEXT NOT NULL);`);
    addColumnIfMissing(sql, "lh_messages", "trace_id", "TEXT");
  }

  /**
   * The conversation's D1 row until the mirror has written it (JSON), kept with the messages so
   * an eviction between the first message and the first mirror cannot lose it.
   */
  pendingOpen(): string | null {
    return this.sql.exec<{ row: string }>("SELECT row FROM lh_mirror_open").toArray()[0]?.row ?? null;
  }

  setPendingOpen(row: string | null): void {
    if (row === null) this.sql.exec("DELETE FROM lh_mirror_open");
    else this.sql.exec("INSERT OR REPLACE INTO lh_mirror_open (one, row) VALUES (1, ?)", row);
  }

  append(m: NewMessage): ConversationMessage {
    const seq = Number(
      this.sql.exec<{ next: number }>("SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM lh_messages").one().next,
    );
    this.sql.exec(
      `INSERT INTO lh_messages (id, seq, role, content, status, tool_calls, tool_call_id, tool_name, citations,
        tokens_in, tokens_out, latency_ms, model, degraded, agent_version, trace_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      m.id,
      seq,
      m.role,
      m.content,
      m.status,
      json(m.tool_calls),
      m.tool_call_id ?? null,
      m.tool_name ?? null,
      json(m.citations),
      m.tokens_in ?? 0,
      m.tokens_out ?? 0,
      m.latency_ms ?? null,
      m.model ?? null,
      m.degraded ? 1 : 0,
      m.agent_version ?? null,
      m.trace_id ?? activeTraceId(),
      Date.now(),
    );
    this.dirty(m.id);
    return this.get(m.id) as ConversationMessage;
  }

  update(id: string, patch: MessagePatch): void {
    const sets: string[] = [];
    const values: SqlStorageValue[] = [];
    const put = (col: string, v: SqlStorageValue) => (sets.push(`${col} = ?`), values.push(v));
    if (patch.content !== undefined) put("content", patch.content);
    if (patch.status !== undefined) put("status", patch.status);
    if (patch.tool_calls !== undefined) put("tool_calls", json(patch.tool_calls));
    if (patch.citations !== undefined) put("citations", json(patch.citations));
    if (patch.tokens_in !== undefined) put("tokens_in", patch.tokens_in);
    if (patch.tokens_out !== undefined) put("tokens_out", patch.tokens_out);
    if (patch.latency_ms !== undefined) put("latency_ms", patch.latency_ms);
    if (patch.model !== undefined) put("model", patch.model);
    if (patch.degraded !== undefined) put("degraded", patch.degraded ? 1 : 0);
    if (!sets.length) return;
    this.sql.exec(`UPDATE lh_messages SET ${sets.join(", ")} WHERE id = ?`, ...values, id);
    this.dirty(id);
  }

  /** A revision per pending mirror write, so a change made while one is in flight is not dropped. */
  private dirty(id: string) {
    this.sql.exec(
      "INSERT INTO lh_mirror_outbox (message_id, rev) VALUES (?, 1) ON CONFLICT(message_id) DO UPDATE SET rev = rev + 1",
      id,
    );
  }

  get(id: string): ConversationMessage | null {
    const rows = this.sql.exec<Row>("SELECT * FROM lh_messages WHERE id = ?", id).toArray();
    return rows[0] ? toMessage(rows[0]) : null;
  }

  /**
   * The newest messages, oldest first: read backwards until their content passes `chars` and a
   * user message has been read, so `recentHistory` over this suffix picks what it would pick
   * over the whole conversation, without reading all of it on every turn.
   */
  recent(chars: number): ConversationMessage[] {
    const out: ConversationMessage[] = [];
    let total = 0;
    let sawUser = false;
    for (const row of this.sql.exec<Row>("SELECT * FROM lh_messages ORDER BY seq DESC")) {
      const m = toMessage(row);
      out.push(m);
      total += m.content.length;
      sawUser ||= m.role === "user";
      if (total > chars && sawUser) break;
    }
    return out.reverse();
  }

  /** Messages with seq > after, oldest first. */
  page(after: number, limit: number): ConversationMessage[] {
    return this.sql
      .exec<Row>("SELECT * FROM lh_messages WHERE seq > ? ORDER BY seq LIMIT ?", after, limit)
      .toArray()
      .map(toMessage);
  }

  /** Answers that were mid-stream when the object stopped can never finish; say so. */
  markInterrupted(): number {
    const ids = this.sql.exec<{ id: string }>("SELECT id FROM lh_messages WHERE status = 'streaming'").toArray();
    for (const { id } of ids) this.update(id, { status: "interrupted" });
    return ids.length;
  }

  outbox(limit: number): { message: ConversationMessage; rev: number }[] {
    // CROSS JOIN keeps the outbox (a few rows) as the outer loop; a plain JOIN lets SQLite walk
    // every message in seq order to skip the sort, which grows with the conversation.
    return this.sql
      .exec<Row & { rev: number }>(
        "SELECT m.*, o.rev AS rev FROM lh_mirror_outbox o CROSS JOIN lh_messages m ON m.id = o.message_id ORDER BY m.seq LIMIT ?",
        limit,
      )
      .toArray()
      .map((r) => ({ message: toMessage(r), rev: r.rev }));
  }

  mirrored(done: readonly { id: string; rev: number }[]): void {
    for (const { id, rev } of done)
      this.sql.exec("DELETE FROM lh_mirror_outbox WHERE message_id = ? AND rev = ?", id, rev);
  }

  /** Drops everything (the conversation is being deleted). */
  clear(): void {
    this.sql.exec("DELETE FROM lh_messages; DELETE FROM lh_mirror_outbox; DELETE FROM lh_mirror_open;");
  }
}
