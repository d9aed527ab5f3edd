// Exact counters (KV cannot count). One instance per counter family, e.g. "flag:<key>" for
// a flag's exposures per variant, so no single object takes every increment. A family can also
// keep per-minute series ("monitor:<workspace>": requests, errors and latency buckets per minute
// and agent), purged past a retention as they are written.
import { DurableObject } from "cloudflare:workers";
import type { CounterIncrement, CounterValue, SeriesIncrement, SeriesValue } from "../worker/core/counters";

export class Counters extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS counters (name TEXT NOT NULL, labels TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (name, labels))",
    );
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS seen (marker TEXT PRIMARY KEY)");
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS series (minute INTEGER NOT NULL, agent TEXT NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (minute, agent, name))",
    );
  }

  /** Adds the increments only the first time `marker` is seen (e.g. one exposure per person and flag version). */
  async addOnce(marker: string, increments: CounterIncrement[]): Promise<boolean> {
    const fresh = this.ctx.storage.sql.exec("INSERT OR IGNORE INTO seen (marker) VALUES (?)", marker).rowsWritten > 0;
    if (fresh) await this.add(increments);
    return fresh;
  }

  async add(increments: CounterIncrement[]): Promise<void> {
    for (const inc of increments) {
      this.ctx.storage.sql.exec(
        "INSERT INTO counters (name, labels, value) VALUES (?, ?, ?) ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value",
        inc.name,
        inc.labels ?? "",
        inc.by ?? 1,
      );
    }
  }

  async read(): Promise<CounterValue[]> {
    return this.ctx.storage.sql
      .exec<{ name: string; labels: string; value: number }>(
        "SELECT name, labels, value FROM counters ORDER BY name, labels",
      )
      .toArray();
  }

  /** Adds per-minute increments and drops minutes older than `retainMs` before the newest one written. */
  async addSeries(increments: SeriesIncrement[], retainMs: number): Promise<void> {
    let newest = 0;
    for (const inc of increments) {
      newest = Math.max(newest, inc.minute);
      this.ctx.storage.sql.exec(
        "INSERT INTO series (minute, agent, name, value) VALUES (?, ?, ?, ?) ON CONFLICT (minute, agent, name) DO UPDATE SET value = value + excluded.value",
        inc.minute,
        inc.agent,
        inc.name,
        inc.by,
      );
    }
    if (newest > 0) this.ctx.storage.sql.exec("DELETE FROM series WHERE minute < ?", newest - retainMs);
  }

  /** Minutes from `since` (epoch ms) on, optionally one agent's only. */
  async readSeries(since: number, agent?: string): Promise<SeriesValue[]> {
    const sql = this.ctx.storage.sql;
    const query = "SELECT minute, agent, name, value FROM series WHERE minute >= ?";
    return (
      agent === undefined
        ? sql.exec<{ minute: number; agent: string; name: string; value: number }>(query, since)
        : sql.exec<{ minute: number; agent: string; name: string; value: number }>(
            `${query} AND agent = ?`,
            since,
            agent,
          )
    ).toArray();
  }
}
