// A Vectorize-compatible vector index kept in this Durable Object's SQLite storage.
// One instance per namespace (knowledge base), so no single object holds every tenant.
import { DurableObject } from "cloudflare:workers";
import { writeLog } from "../worker/core/logger";

export class VectorIndexStore extends DurableObject<Env> {
  /** Round trip used by /ready; echoes the caller's request id. */
  async ping(requestId: string): Promise<{ ok: true; requestId: string }> {
    writeLog("debug", "vector_index_ping", { request_id: requestId });
    return { ok: true, requestId };
  }
}
