// The coordinator's own SQLite: the run (one row), its steps (idempotent by key: a step that
// has settled is never run again) and every event it emitted, replayed to late joiners.
import type { StepRole, StepStatus, SwarmMessage } from "@hive/shared/swarm-protocol";
import { activeTraceId } from "../worker/core/trace/links";
import type { RunState, StepOutcome, StepRecord, StepStore } from "../worker/swarm/run-state";
import type { SettledStep, StepSpec } from "../worker/swarm/strategies/types";
import { addColumnIfMissing } from "./sql-columns";

type StepRow = {
  seq: number;
  key: string;
  agent_id: string;
  role: string;
  round: number;
  status: string;
  input: string;
  output: string | null;
  choice: string | null;
  tokens_in: number;
  tokens_out: number;
  attempts: number;
  model: string | null;
  degraded: number;
  error: string | null;
  started_at: number | null;
  ended_at: number | null;
  latency_ms: number | null;
  trace_id: string | null;
};

const OPEN = "('pending', 'running')";

const toStep = (r: StepRow): StepRecord => ({
  seq: r.seq,
  key: r.key,
  agentId: r.agent_id,
  role: r.role as StepRole,
  round: r.round,
  status: r.status as StepStatus,
  input: r.input,
  output: r.output,
  choice: r.choice,
  tokensIn: r.tokens_in,
  tokensOut: r.tokens_out,
  attempts: r.attempts,
  model: r.model,
  degraded: r.degraded === 1,
  error: r.error,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  latencyMs: r.latency_ms,
  traceId: r.trace_id ?? null,
});

export class SwarmStore implements StepStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS run (id TEXT PRIMARY KEY, body TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS steps (
      seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, agent_id TEXT NOT NULL, role TEXT NOT NULL, round INTEGER NOT NULL,
      status TEXT NOT NULL, input TEXT NOT NULL, output TEXT, choice TEXT, tokens_in INTEGER NOT NULL DEFAULT 0,
      tokens_out INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0, model TEXT, degraded INTEGER NOT NULL DEFAULT 0,
      error TEXT, started_at INTEGER, ended_at INTEGER, latency_ms INTEGER, trace_id TEXT)`);
    addColumnIfMissing(sql, "steps", "trace_id", "TEXT");
    sql.exec(`CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)`);
  }

  run(): RunState | null {
    const row = this.sql.exec<{ body: string }>("SELECT body FROM run LIMIT 1").toArray()[0];
    return row ? (JSON.parse(row.body) as RunState) : null;
  }

  saveRun(state: RunState): void {
    this.sql.exec(
      "INSERT INTO run (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
      state.id,
      JSON.stringify(state),
    );
  }

  steps(): StepRecord[] {
    return this.sql.exec<StepRow>("SELECT * FROM steps ORDER BY seq").toArray().map(toStep);
  }

  step(key: string): StepRecord | null {
    const row = this.sql.exec<StepRow>("SELECT * FROM steps WHERE key = ?", key).toArray()[0];
    return row ? toStep(row) : null;
  }

  /** The step for `spec`, created (pending, next seq) the first time the plan names it. */
  ensureStep(spec: StepSpec): { step: StepRecord; created: boolean } {
    const existing = this.step(spec.key);
    if (existing) return { step: existing, created: false };
    const seq = this.sql.exec<{ n: number }>("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM steps").one().n;
    this.sql.exec(
      "INSERT INTO steps (seq, key, agent_id, role, round, status, input) VALUES (?, ?, ?, ?, ?, 'pending', ?)",
      seq,
      spec.key,
      spec.agentId,
      spec.role,
      spec.round,
      spec.input,
    );
    return { step: this.step(spec.key) as StepRecord, created: true };
  }

  /** Counts an attempt before it starts, so an eviction mid-attempt still uses it up; the first attempt's trace is the step's. */
  beginAttempt(seq: number, now: number): StepRecord | null {
    const cursor = this.sql.exec(
      `UPDATE steps SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, ?),
        trace_id = COALESCE(trace_id, ?) WHERE seq = ? AND status IN ${OPEN}`,
      now,
      activeTraceId(),
      seq,
    );
    return cursor.rowsWritten > 0 ? this.stepBySeq(seq) : null;
  }

  /** Settles an open step; false if it had already settled (e.g. the run was cancelled meanwhile). */
  settle(seq: number, o: StepOutcome): boolean {
    const cursor = this.sql.exec(
      `UPDATE steps SET status = ?, output = ?, choice = ?, tokens_in = ?, tokens_out = ?, model = ?, degraded = ?, error = ?, ended_at = ?, latency_ms = ?
       WHERE seq = ? AND status IN ${OPEN}`,
      o.status,
      o.output ?? null,
      o.choice ?? null,
      o.tokensIn ?? 0,
      o.tokensOut ?? 0,
      o.model ?? null,
      o.degraded ? 1 : 0,
      o.error ?? null,
      o.endedAt,
      o.latencyMs ?? null,
      seq,
    );
    return cursor.rowsWritten > 0;
  }

  /** Ends every open step (the run ended); returns the ones it ended. */
  closeOpen(reason: string, now: number): StepRecord[] {
    const open = this.sql.exec<StepRow>(`SELECT * FROM steps WHERE status IN ${OPEN}`).toArray().map(toStep);
    this.sql.exec(
      `UPDATE steps SET status = 'cancelled', error = ?, ended_at = ? WHERE status IN ${OPEN}`,
      reason,
      now,
    );
    return open;
  }

  stepBySeq(seq: number): StepRecord | null {
    const row = this.sql.exec<StepRow>("SELECT * FROM steps WHERE seq = ?", seq).toArray()[0];
    return row ? toStep(row) : null;
  }

  settled(): Map<string, SettledStep> {
    const rows = this.sql.exec<StepRow>(`SELECT * FROM steps WHERE status NOT IN ${OPEN}`).toArray();
    return new Map(
      rows.map((r) => [
        r.key,
        {
          key: r.key,
          agentId: r.agent_id,
          round: r.round,
          status: r.status as SettledStep["status"],
          output: r.output,
          choice: r.choice,
          error: r.error,
        },
      ]),
    );
  }

  /** Records a message with the next event seq; returns it as stored. */
  appendEvent(message: SwarmMessage): SwarmMessage {
    const seq = this.sql.exec<{ n: number }>("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM events").one().n;
    const stored = { ...message, seq };
    this.sql.exec("INSERT INTO events (seq, body) VALUES (?, ?)", seq, JSON.stringify(stored));
    return stored;
  }

  /** Every recorded event, oldest first, as the JSON frames sent to sockets. */
  eventFrames(): string[] {
    return this.sql
      .exec<{ body: string }>("SELECT body FROM events ORDER BY seq")
      .toArray()
      .map((r) => r.body);
  }

  lastEventSeq(): number {
    return this.sql.exec<{ n: number }>("SELECT COALESCE(MAX(seq), 0) AS n FROM events").one().n;
  }
}
