// The evaluation coordinator's own SQLite (durable-objects/eval-coordinator.ts): the run's plan
// and counters (one row) and its cases with their state. Everything a fresh instance needs to
// resume after a reset is here: a case left `running` by a dead instance is retried.
import type { EvalCaseInput, EvalRunStatus, EvalScore, EvalScorerConfig } from "@hive/shared/api-types/evals";
import type { RunAgent, RunConfig } from "@hive/shared/swarm-protocol";
import type { AgentDefinition, ModelSpec } from "../agents/schemas";

export interface AgentTarget {
  kind?: "agent";
  agentId: string;
  agentVersion: number;
  definition: AgentDefinition;
}

/** A swarm configuration (its task empty: each case's input is the task) and its agents, pinned. */
export interface SwarmTarget {
  kind: "swarm";
  config: RunConfig;
  agents: RunAgent[];
}

export interface RunPlan {
  runId: string;
  workspaceId: string;
  createdBy: string;
  target: AgentTarget | SwarmTarget;
  scorers: EvalScorerConfig[];
  concurrency: number;
  budgetTokens: number | null;
  budgetMs: number | null;
  /** The model the judge scorers ask (null: none asked for). */
  judge: ModelSpec | null;
}

export interface RunCounters {
  status: EvalRunStatus;
  reason: string | null;
  startedAt: number;
  endedAt: number | null;
  tokensUsed: number;
  costUsd: number;
  /** The final state is written to D1 (until then an alarm retries it). */
  recorded: boolean;
}

export interface StoredCase {
  caseId: string;
  caseKey: string;
  position: number;
  body: EvalCaseInput;
  status: "pending" | "running" | "done";
  attempts: number;
  scores: EvalScore[];
}

type CaseRow = {
  case_id: string;
  case_key: string;
  position: number;
  body: string;
  status: string;
  attempts: number;
  scores: string;
};

const toCase = (r: CaseRow): StoredCase => ({
  caseId: r.case_id,
  caseKey: r.case_key,
  position: r.position,
  body: JSON.parse(r.body) as EvalCaseInput,
  status: r.status as StoredCase["status"],
  attempts: r.attempts,
  scores: JSON.parse(r.scores) as EvalScore[],
});

export class RunStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(
      "CREATE TABLE IF NOT EXISTS plan (id INTEGER PRIMARY KEY CHECK (id = 1), plan TEXT NOT NULL, counters TEXT NOT NULL)",
    );
    sql.exec(`CREATE TABLE IF NOT EXISTS cases (case_id TEXT PRIMARY KEY, case_key TEXT NOT NULL, position INTEGER NOT NULL,
      body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, scores TEXT NOT NULL DEFAULT '[]')`);
    sql.exec(
      "CREATE TABLE IF NOT EXISTS swarm_cases (case_id TEXT PRIMARY KEY, swarm_run_id TEXT NOT NULL, started_at INTEGER NOT NULL)",
    );
  }

  plan(): { plan: RunPlan; counters: RunCounters } | null {
    const row = this.sql.exec<{ plan: string; counters: string }>("SELECT plan, counters FROM plan").toArray()[0];
    return row ? { plan: JSON.parse(row.plan) as RunPlan, counters: JSON.parse(row.counters) as RunCounters } : null;
  }

  /** The plan and its cases, once (a second start of the same run changes nothing). */
  create(plan: RunPlan, counters: RunCounters, cases: Omit<StoredCase, "status" | "attempts" | "scores">[]): void {
    if (this.plan()) return;
    this.sql.exec(
      "INSERT INTO plan (id, plan, counters) VALUES (1, ?, ?)",
      JSON.stringify(plan),
      JSON.stringify(counters),
    );
    for (const c of cases)
      this.sql.exec(
        "INSERT INTO cases (case_id, case_key, position, body, status) VALUES (?, ?, ?, ?, 'pending')",
        c.caseId,
        c.caseKey,
        c.position,
        JSON.stringify(c.body),
      );
  }

  saveCounters(counters: RunCounters): void {
    this.sql.exec("UPDATE plan SET counters = ?", JSON.stringify(counters));
  }

  cases(): StoredCase[] {
    return this.sql.exec<CaseRow>("SELECT * FROM cases ORDER BY position").toArray().map(toCase);
  }

  /** The next case to run, marked running with one more attempt. */
  claim(): StoredCase | null {
    const row = this.sql
      .exec<CaseRow>("SELECT * FROM cases WHERE status = 'pending' ORDER BY position LIMIT 1")
      .toArray()[0];
    if (!row) return null;
    this.sql.exec("UPDATE cases SET status = 'running', attempts = attempts + 1 WHERE case_id = ?", row.case_id);
    return { ...toCase(row), status: "running", attempts: row.attempts + 1 };
  }

  /** Cases a dead instance left running: back to pending, or returned as given up after `maxAttempts`. */
  reclaim(maxAttempts: number): StoredCase[] {
    // A running case with a swarm run in flight is not stuck: the run goes on without this instance.
    const stuck = this.sql
      .exec<CaseRow>(
        "SELECT * FROM cases WHERE status = 'running' AND case_id NOT IN (SELECT case_id FROM swarm_cases)",
      )
      .toArray()
      .map(toCase);
    for (const c of stuck) if (c.attempts < maxAttempts) this.setStatus(c.caseId, "pending");
    return stuck.filter((c) => c.attempts >= maxAttempts);
  }

  /** A running case's swarm run, started: the case waits for it across alarm ticks. */
  attachSwarm(caseId: string, swarmRunId: string, startedAt: number): void {
    this.sql.exec("INSERT OR REPLACE INTO swarm_cases VALUES (?, ?, ?)", caseId, swarmRunId, startedAt);
  }

  /** Running cases waiting for their swarm run. */
  swarmsInFlight(): (StoredCase & { swarmRunId: string; startedAt: number })[] {
    return this.sql
      .exec<CaseRow & { swarm_run_id: string; started_at: number }>(
        "SELECT c.*, s.swarm_run_id, s.started_at FROM cases c JOIN swarm_cases s USING (case_id) WHERE c.status = 'running' ORDER BY c.position",
      )
      .toArray()
      .map((r) => ({ ...toCase(r), swarmRunId: r.swarm_run_id, startedAt: r.started_at }));
  }

  finish(caseId: string, scores: EvalScore[]): void {
    this.sql.exec("UPDATE cases SET status = 'done', scores = ? WHERE case_id = ?", JSON.stringify(scores), caseId);
  }

  /** A case whose attempt failed before it had a result: it runs again. */
  release(caseId: string): void {
    this.setStatus(caseId, "pending");
  }

  private setStatus(caseId: string, status: StoredCase["status"]): void {
    this.sql.exec("UPDATE cases SET status = ? WHERE case_id = ?", status, caseId);
  }

  counts(): { total: number; done: number; open: number } {
    const r = this.sql
      .exec<{ total: number; done: number }>(
        "SELECT COUNT(*) AS total, COALESCE(SUM(status = 'done'), 0) AS done FROM cases",
      )
      .one();
    return { total: r.total, done: r.done, open: r.total - r.done };
  }
}
