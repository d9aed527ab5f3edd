// D1 statements as client spans. Every statement goes through the binding createDb wraps, so a
// trace shows each one, named by its verb and table ("D1 SELECT agents"), never by its SQL:
// values are bound parameters and are not recorded, and the text itself is not either. A batch
// is one span with its statement count.
import { type Attributes, activeSpan, type Span, withSpan } from "./tracer";

interface Operation {
  name: string;
  attributes: Attributes;
}

const TABLE_AFTER: Record<string, RegExp> = {
  SELECT: /\bfrom\s+["`[]?(\w+)/i,
  DELETE: /\bfrom\s+["`[]?(\w+)/i,
  INSERT: /\binto\s+["`[]?(\w+)/i,
  REPLACE: /\binto\s+["`[]?(\w+)/i,
  UPDATE: /^\s*update\s+(?:or\s+\w+\s+)?["`[]?(\w+)/i,
  WITH: /\bfrom\s+["`[]?(\w+)/i,
};
/** Distinct statements are few (the code's own); the bound keeps a stray dynamic one from growing it. */
const MAX_CACHED = 1000;
const operations = new Map<string, Operation>();

function operationOf(sql: string, namespace: string): Operation {
  const key = `${namespace}\u0000${sql}`;
  let op = operations.get(key);
  if (op) return op;
  const verb = (/^\s*(\w+)/.exec(sql)?.[1] ?? "QUERY").toUpperCase();
  const table = TABLE_AFTER[verb]?.exec(sql)?.[1];
  op = {
    name: table ? `D1 ${verb} ${table}` : `D1 ${verb}`,
    attributes: {
      "db.system": "cloudflare_d1",
      "db.namespace": namespace,
      "db.operation.name": verb,
      "db.collection.name": table,
    },
  };
  if (operations.size >= MAX_CACHED) operations.clear();
  operations.set(key, op);
  return op;
}

function recordMeta(span: Span, result: unknown): void {
  const meta = (result as { meta?: { rows_read?: number; rows_written?: number } } | null)?.meta;
  if (!meta) return;
  span.setAttribute("d1.rows_read", meta.rows_read);
  span.setAttribute("d1.rows_written", meta.rows_written);
}

class TracedStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    readonly op: Operation,
  ) {}

  private traced<T>(run: () => Promise<T>): Promise<T> {
    if (!activeSpan()) return run();
    return withSpan(
      this.op.name,
      this.op.attributes,
      async (span) => {
        const result = await run();
        recordMeta(span, result);
        return result;
      },
      "client",
    );
  }

  bind(...values: unknown[]): D1PreparedStatement {
    return new TracedStatement(this.inner.bind(...values), this.op) as unknown as D1PreparedStatement;
  }
  first<T>(column?: string): Promise<T | null> {
    return this.traced(() => (column === undefined ? this.inner.first<T>() : this.inner.first<T>(column)));
  }
  run<T>(): Promise<D1Result<T>> {
    return this.traced(() => this.inner.run<T>());
  }
  all<T>(): Promise<D1Result<T>> {
    return this.traced(() => this.inner.all<T>());
  }
  raw<T>(options?: { columnNames?: false }): Promise<T[]> {
    return this.traced(() => this.inner.raw<T>(options));
  }
}

const unwrap = (statement: D1PreparedStatement): D1PreparedStatement =>
  statement instanceof TracedStatement ? statement.inner : statement;

/** The binding with every statement and batch traced; `namespace` is its binding name. */
export function tracedD1(d1: D1Database, namespace: string): D1Database {
  const traced = {
    prepare: (sql: string) => new TracedStatement(d1.prepare(sql), operationOf(sql, namespace)),
    batch: <T>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> => {
      const run = () => d1.batch<T>(statements.map(unwrap));
      if (!activeSpan()) return run();
      const names = [...new Set(statements.map((s) => (s instanceof TracedStatement ? s.op.name : "D1 QUERY")))];
      return withSpan(
        "D1 BATCH",
        {
          "db.system": "cloudflare_d1",
          "db.namespace": namespace,
          "db.operation.name": "BATCH",
          "db.operation.batch.size": statements.length,
          "db.query.summary": names.slice(0, 10).join("; "),
        },
        run,
        "client",
      );
    },
    exec: (query: string) => d1.exec(query),
    withSession: (constraint?: string) => d1.withSession(constraint),
    dump: () => d1.dump(),
  };
  return traced as unknown as D1Database;
}
