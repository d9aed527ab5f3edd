// A Vectorize-compatible vector index kept in this Durable Object's SQLite storage.
// One instance per namespace (knowledge base), so no single object holds every tenant.
// SQLite is the source of truth (values as Float32 BLOBs, metadata as JSON); queries run
// against an in-memory matrix loaded lazily on first use and updated on every write, so a
// query is a dot-product pass, never a table scan.
import { DurableObject } from "cloudflare:workers";
import { writeLog } from "../worker/core/logger";
import { VectorIndexError } from "../worker/core/providers/errors";
import type {
  IndexDescription,
  StoredVector,
  VectorMatch,
  VectorMetadata,
  VectorQueryOptions,
} from "../worker/core/providers/types";
import { compileFilter } from "../worker/core/providers/vector-filter";
import {
  checkId,
  checkMetadata,
  checkValues,
  effectiveTopK,
  wantsMetadata,
} from "../worker/core/providers/vector-limits";
import { normaliseInPlace, VectorMatrix } from "../worker/core/providers/vector-matrix";

type StoreQueryOptions = Omit<VectorQueryOptions, "namespace">;

export class VectorIndexStore extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private matrix: VectorMatrix | undefined;
  /** Cached `index_meta.dimensions`; undefined until first read. */
  private dims: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, vec BLOB NOT NULL, metadata TEXT)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS index_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  }

  /** Round trip used by /ready; echoes the caller's request id. */
  async ping(requestId: string): Promise<{ ok: true; requestId: string }> {
    writeLog("debug", "vector_index_ping", { request_id: requestId });
    return { ok: true, requestId };
  }

  async describe(): Promise<IndexDescription> {
    return { count: this.size(), dimensions: this.dimensions() };
  }

  /** Insert-or-replace by id. All vectors are validated before anything is written. */
  async upsert(vectors: StoredVector[]): Promise<{ count: number }> {
    if (!Array.isArray(vectors)) throw new VectorIndexError("invalid_vector", "vectors must be an array");
    if (vectors.length === 0) return { count: 0 };
    // The dimension is fixed by the first vector an empty index receives, like creating a
    // Vectorize index; an emptied index may take a new dimension.
    const dimensions = this.size() > 0 ? this.dimensions() : null;
    const expected = dimensions ?? vectors[0]?.values?.length ?? null;
    const rows = vectors.map((v) => {
      const id = checkId(v?.id);
      const values = checkValues(`vector ${id}`, v.values, expected);
      return { id, values, metadataJson: checkMetadata(id, v.metadata), metadata: v.metadata };
    });
    // Last write wins within one batch, as if the upserts were sent one by one.
    const latest = new Map(rows.map((r) => [r.id, r]));
    this.ctx.storage.transactionSync(() => {
      if (dimensions === null) {
        this.sql.exec(`INSERT OR REPLACE INTO index_meta (key, value) VALUES ('dimensions', ?)`, String(expected));
      }
      for (const r of latest.values()) {
        this.sql.exec(
          `INSERT OR REPLACE INTO vectors (id, vec, metadata) VALUES (?, ?, ?)`,
          r.id,
          r.values.buffer as ArrayBuffer,
          r.metadataJson,
        );
      }
    });
    // Only after the commit: a failed transaction must not leave the cache ahead of storage.
    this.dims = expected;
    if (this.matrix && this.matrix.dimensions !== expected) this.matrix = undefined;
    if (this.matrix) {
      for (const r of latest.values()) this.matrix.set(r.id, normaliseInPlace(Float32Array.from(r.values)), r.metadata);
    }
    return { count: latest.size };
  }

  async query(
    vector: number[] | Float32Array,
    options: StoreQueryOptions = {},
  ): Promise<{ matches: VectorMatch[]; count: number }> {
    const filter = compileFilter(options.filter);
    const matrix = this.load();
    // An empty index has no dimension to hold a query to (it matches nothing either way).
    const unit = normaliseInPlace(checkValues("query vector", vector, matrix.size > 0 ? matrix.dimensions : null));
    if (matrix.size === 0) return { matches: [], count: 0 };
    const scored = matrix.search(unit, effectiveTopK(options), filter);
    const values = options.returnValues ? this.valuesOf(scored.map((s) => s.id)) : undefined;
    const withMetadata = wantsMetadata(options);
    const matches: VectorMatch[] = scored.map((s) => {
      const match: VectorMatch = { id: s.id, score: s.score };
      if (values) match.values = values.get(s.id) ?? [];
      if (withMetadata) match.metadata = s.metadata ?? {};
      return match;
    });
    return { matches, count: matches.length };
  }

  /** Deletes the given ids; the count is how many existed. */
  async deleteByIds(ids: string[]): Promise<{ count: number }> {
    if (!Array.isArray(ids)) throw new VectorIndexError("invalid_id", "ids must be an array");
    const unique = [...new Set(ids.map(checkId))];
    let count = 0;
    this.ctx.storage.transactionSync(() => {
      for (const id of unique) count += this.sql.exec(`DELETE FROM vectors WHERE id = ?`, id).rowsWritten > 0 ? 1 : 0;
    });
    if (this.matrix) for (const id of unique) this.matrix.delete(id);
    return { count };
  }

  private size(): number {
    return this.matrix?.size ?? this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM vectors`).one().n;
  }

  private dimensions(): number | null {
    if (this.dims === undefined) {
      const row = this.sql
        .exec<{ value: string }>(`SELECT value FROM index_meta WHERE key = 'dimensions'`)
        .toArray()[0];
      this.dims = row ? Number(row.value) : null;
    }
    return this.dims;
  }

  private load(): VectorMatrix {
    const dimensions = this.dimensions();
    if (this.matrix && this.matrix.dimensions === dimensions) return this.matrix;
    const count = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM vectors`).one().n;
    // Headroom for appends, so a busy index does not reallocate right after loading.
    const matrix = new VectorMatrix(dimensions ?? 1, Math.ceil(count * 1.25) + 64);
    for (const row of this.sql.exec<{ id: string; vec: ArrayBuffer; metadata: string | null }>(
      `SELECT id, vec, metadata FROM vectors`,
    )) {
      const metadata = row.metadata === null ? undefined : (JSON.parse(row.metadata) as VectorMetadata);
      matrix.set(row.id, normaliseInPlace(new Float32Array(row.vec)), metadata);
    }
    this.matrix = matrix;
    return matrix;
  }

  private valuesOf(ids: string[]): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const id of ids) {
      const row = this.sql.exec<{ vec: ArrayBuffer }>(`SELECT vec FROM vectors WHERE id = ?`, id).toArray()[0];
      if (row) out.set(id, Array.from(new Float32Array(row.vec)));
    }
    return out;
  }
}
