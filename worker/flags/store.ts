// Flags live in KV (read on hot paths, cached per isolate for a few seconds so a kill switch
// takes effect within FLAG_CACHE_MS everywhere) with a durable, listable record in D1. When KV
// fails, reads fall back to that record and writes to it alone (core/kv.ts).
import { eq } from "drizzle-orm";
import { createDb, type Database } from "../core/db";
import { featureFlags } from "../core/db/schema";
import { KV_FAILED, kvAttempt, kvWrite } from "../core/kv";
import { killSwitchOn } from "./evaluate";
import { type Flag, FlagDefinition, type FlagSubject } from "./schema";

const FLAG_CACHE_MS = 5_000;
const kvKey = (key: string) => `flag:${key}`;
const hot = new Map<string, { def: FlagDefinition | null; at: number }>();

/** Kill switches that ship with the platform; absent means "on". */
export const KILL_SWITCHES = {
  inference: "Model inference. Off: chat answers in degraded (extractive) mode instead of failing.",
  ingestion: "Document ingestion. Off: uploads stay queued, unprocessed, until it is back on.",
} as const;
export type KillSwitch = keyof typeof KILL_SWITCHES;

/** Where a flag is read: KV first, D1 when KV fails. */
export type FlagSource = Pick<Env, "FLAGS" | "DB">;

export async function readFlag(env: FlagSource, key: string): Promise<FlagDefinition | null> {
  const cached = hot.get(key);
  if (cached && Date.now() - cached.at < FLAG_CACHE_MS) return cached.def;
  const raw = await kvAttempt("FLAGS", "get", () => env.FLAGS.get(kvKey(key), "json"));
  if (raw === KV_FAILED) return (await getFlag(createDb(env.DB), key))?.definition ?? null;
  const parsed = raw === null ? null : FlagDefinition.safeParse(raw);
  const def = parsed?.success ? parsed.data : null;
  hot.set(key, { def, at: Date.now() });
  return def;
}

/** Whether a platform capability is on for this subject (kill switches default to on). */
export async function capabilityOn(env: FlagSource, key: KillSwitch, subject: FlagSubject): Promise<boolean> {
  return killSwitchOn(key, (await readFlag(env, key)) ?? undefined, subject);
}

const toFlag = (row: typeof featureFlags.$inferSelect): Flag => ({
  key: row.key,
  definition: FlagDefinition.parse(row.definition),
  updated_by: row.updatedBy,
  updated_at: new Date(row.updatedAt).toISOString(),
});

export async function listFlags(db: Database): Promise<Flag[]> {
  const rows = await db.select().from(featureFlags).orderBy(featureFlags.key);
  return rows.map(toFlag);
}

export async function getFlag(db: Database, key: string): Promise<Flag | null> {
  const [row] = await db.select().from(featureFlags).where(eq(featureFlags.key, key)).limit(1);
  return row ? toFlag(row) : null;
}

export async function saveFlag(
  db: Database,
  kv: KVNamespace,
  key: string,
  def: FlagDefinition,
  by: string,
): Promise<Flag> {
  const now = Date.now();
  await db
    .insert(featureFlags)
    .values({ key, definition: def, updatedBy: by, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: featureFlags.key, set: { definition: def, updatedBy: by, updatedAt: now } });
  await kvWrite("FLAGS", "put", () => kv.put(kvKey(key), JSON.stringify(def)));
  hot.delete(key);
  return { key, definition: def, updated_by: by, updated_at: new Date(now).toISOString() };
}

export async function deleteFlag(db: Database, kv: KVNamespace, key: string): Promise<void> {
  await db.delete(featureFlags).where(eq(featureFlags.key, key));
  await kvWrite("FLAGS", "delete", () => kv.delete(kvKey(key)));
  hot.delete(key);
}
