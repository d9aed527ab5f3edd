// Exact counters (KV cannot count). One instance per counter family, e.g. "flag:<key>" for
// a flag's exposures per variant, so no single object takes every increment.
import { DurableObject } from "cloudflare:workers";
import type { CounterIncrement, CounterValue } from "../worker/core/counters";

export class Counters extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS counters (name TEXT NOT NULL, labels TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (name, labels))",
    );
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS seen (marker TEXT PRIMARY KEY)");
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
}
