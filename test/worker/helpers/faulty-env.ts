// Fault-injecting stand-ins for the platform's bindings, and a request through the Worker's own
// entry with them: the code under test is the production code, only the binding misbehaves, as a
// KV outage or a D1 that drops its connection would.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../../worker/index";
import { BASE } from "./harness";

/** A KV namespace whose every operation fails, as KV does during an outage. */
export function failingKv(): KVNamespace & { calls: string[] } {
  const calls: string[] = [];
  const fail = (op: string) => () => {
    calls.push(op);
    return Promise.reject(new Error(`KV ${op.toUpperCase()} failed: 503 Service Unavailable`));
  };
  return {
    calls,
    get: fail("get"),
    getWithMetadata: fail("getWithMetadata"),
    put: fail("put"),
    delete: fail("delete"),
    list: fail("list"),
  } as unknown as KVNamespace & { calls: string[] };
}

export const D1_OUTAGE = "D1_ERROR: Network connection lost.";

/**
 * The real D1, except that statements whose SQL matches `failing` throw D1's outage error. A batch
 * holding such a statement fails whole, as D1 batches are transactions.
 */
export function faultyD1(failing: RegExp, real: D1Database = env.DB): D1Database & { failures: string[] } {
  const failures: string[] = [];
  const originals = new WeakMap<object, { sql: string; stmt: D1PreparedStatement }>();
  const check = (sql: string) => {
    if (!failing.test(sql)) return;
    failures.push(sql);
    throw new Error(D1_OUTAGE);
  };
  const guarded =
    <T>(sql: string, op: () => Promise<T>) =>
    async () => {
      check(sql);
      return op();
    };
  const wrap = (sql: string, stmt: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = {
      bind: (...values: unknown[]) => wrap(sql, stmt.bind(...values)),
      first: (col?: string) => guarded(sql, () => (col === undefined ? stmt.first() : stmt.first(col)))(),
      run: guarded(sql, () => stmt.run()),
      all: guarded(sql, () => stmt.all()),
      raw: (opts?: { columnNames?: boolean }) => guarded(sql, () => stmt.raw(opts as { columnNames: true }))(),
    } as unknown as D1PreparedStatement;
    originals.set(wrapped, { sql, stmt });
    return wrapped;
  };
  return {
    failures,
    prepare: (sql: string) => wrap(sql, real.prepare(sql)),
    batch: async (stmts: D1PreparedStatement[]) => {
      for (const s of stmts) check(originals.get(s)?.sql ?? "");
      return real.batch(stmts.map((s) => originals.get(s)?.stmt ?? s));
    },
    exec: (sql: string) => guarded(sql, () => real.exec(sql))(),
    withSession: () => {
      throw new Error("sessions are not faked");
    },
    dump: () => real.dump(),
  } as unknown as D1Database & { failures: string[] };
}

/** One request through the Worker's fetch handler with some bindings replaced. */
export async function fetchWith(
  bindings: Partial<Env>,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers = new Headers(opts.headers);
  if (opts.token) headers.set("Authorization", `Bearer ${opts.token}`);
  if (opts.body !== undefined) headers.set("Content-Type", "application/json");
  const req = new Request(`${BASE}${path}`, {
    method,
    headers,
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(req, { ...env, ...bindings }, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  const json = (res.headers.get("Content-Type") ?? "").includes("json") && text ? JSON.parse(text) : text;
  return { status: res.status, body: json, headers: res.headers };
}
