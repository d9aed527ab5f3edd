// A stand-in for the Worker's agents, chat, conversations and knowledge routes, answering with
// their exact types, SSE framing (worker/chat/events.ts) and error envelope, so `hive agents`,
// `hive chat` and `hive kb` are tested against the real wire format. A chat answer can be held
// open part-way (`gate`) to prove that output streams, and is ended by POST .../cancel the way
// the Worker ends it: with `done`, reason cancelled. The batch upload route (JSON) answers per
// file (created / unchanged / replaced / refused) and can be made to refuse whole batches with 429.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type {
  Agent,
  AgentDefinition,
  AgentPage,
  BatchUploadItem,
  BatchUploadRequest,
  BatchUploadResponse,
  ChatEvent,
  ConversationDetail,
  ErrorEnvelope,
  FetchDocumentsResponse,
  KnowledgeBase,
  KnowledgeDocument,
  SearchResponse,
  UploadResult,
} from "@hive/shared/api-types";
import { readJson } from "./fake-http";
import { listenLocal } from "./local-server";

export const API_KEY = "lh_test_0123456789abcdef";
const NOW = "2026-01-01T12:00:00.000Z";

const DEFINITION: AgentDefinition = {
  name: "Helpdesk",
  description: "Answers office questions",
  system_prompt: "",
  model: { provider: "offline", id: "offline" },
  fallback_models: [],
  temperature: 0.7,
  max_tokens: 1024,
  tools: [],
  knowledge_base_ids: [],
  safety: {},
  max_steps: 5,
  allow_system_override: false,
};

export function agentOf(id: string, definition: Partial<AgentDefinition> = {}): Agent {
  const d = { ...DEFINITION, ...definition };
  return {
    id,
    workspace_id: "ws_test",
    owner_id: "usr_test",
    visibility: "workspace",
    name: d.name,
    description: d.description,
    version: 1,
    definition: d,
    tokens_in: 0,
    tokens_out: 0,
    can_edit: true,
    created_at: NOW,
    updated_at: NOW,
  };
}

export function kbOf(id: string, name: string): KnowledgeBase {
  return {
    id,
    name,
    description: "",
    embedding_model: "local-hash-384",
    chunk_size: 400,
    chunk_overlap: 60,
    owner_id: "usr_test",
    refetch_interval_hours: null,
    document_count: 0,
    chunk_count: 0,
    created_at: NOW,
    updated_at: NOW,
  };
}

export interface ChatScript {
  /** Events sent at once. */
  events: ChatEvent[];
  /** When set, the stream waits for it after `events`, then sends `rest`. */
  gate?: Promise<void>;
  rest?: ChatEvent[];
  /** Cut the connection after `events`, as a restarting server or a dropped network does. */
  drop?: boolean;
}

export interface FakeHiveApi {
  url: string;
  /** "METHOD /path?query" of every request, in order. */
  requests: string[];
  /** Parsed JSON bodies by "METHOD /path". */
  bodies: Map<string, unknown[]>;
  agents: Agent[];
  knowledgeBases: KnowledgeBase[];
  /** The answer the next chat request streams. */
  chat: ChatScript;
  conversation: ConversationDetail | null;
  /** Document names whose ingestion fails, with the error the Worker would store. */
  failIngestion: Map<string, string>;
  /** Document names refused at upload with this envelope (e.g. 415). */
  refuseUpload: Map<string, { status: number; code: ErrorEnvelope["error"]["code"]; message: string }>;
  search: SearchResponse | null;
  /** Every file the batch route received, by name, in order (to prove nothing is sent twice). */
  batchFiles: string[];
  /** After `after` more batches are admitted, the next `count` are refused whole: 429 with this Retry-After. */
  limitBatches: { count: number; retryAfter: string; after?: number };
  close(): Promise<void>;
}

const envelope = (code: ErrorEnvelope["error"]["code"], message: string): ErrorEnvelope => ({
  error: { code, message, details: {}, timestamp: NOW, request_id: "req_fake" },
});

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

const frame = (e: ChatEvent) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;

export async function startFakeHiveApi(): Promise<FakeHiveApi> {
  const documents = new Map<string, KnowledgeDocument & { polls: number }>();
  // The stream in progress, so cancel can end it as the Worker would.
  let cancelStream: (() => void) | null = null;

  const api: Omit<FakeHiveApi, "url" | "close"> = {
    requests: [],
    bodies: new Map(),
    agents: [agentOf("agt_helpdesk")],
    knowledgeBases: [kbOf("kb_handbook", "Handbook")],
    chat: { events: [] },
    conversation: null,
    failIngestion: new Map(),
    refuseUpload: new Map(),
    search: null,
    batchFiles: [],
    limitBatches: { count: 0, retryAfter: "1" },
  };

  function storeDocument(kbId: string, name: string, bytes: Buffer, type: string, tags: string[]) {
    const doc: KnowledgeDocument & { polls: number } = {
      id: `doc_${documents.size + 1}`,
      knowledge_base_id: kbId,
      name,
      content_type: type as KnowledgeDocument["content_type"],
      size_bytes: bytes.length,
      content_hash: sha256(bytes),
      char_count: bytes.length,
      tags,
      status: "queued",
      progress: 0,
      error: null,
      chunk_count: 0,
      attempts: 0,
      source_url: null,
      checked_at: null,
      created_at: NOW,
      updated_at: NOW,
      polls: 0,
    };
    documents.set(doc.id, doc);
    return doc;
  }

  /** One step of ingestion: processing first, then ready (or failed). */
  function advance(doc: KnowledgeDocument & { polls: number }) {
    doc.polls += 1;
    if (doc.polls === 1) Object.assign(doc, { status: "processing", progress: 0.5 });
    else if (api.failIngestion.has(doc.name))
      Object.assign(doc, { status: "failed", progress: 0.5, error: api.failIngestion.get(doc.name) });
    else Object.assign(doc, { status: "ready", progress: 1, chunk_count: 2 });
  }

  const publicDoc = ({ polls: _, ...doc }: KnowledgeDocument & { polls: number }): KnowledgeDocument => doc;

  function batch(kbId: string, request: BatchUploadRequest): BatchUploadResponse {
    const results: BatchUploadItem[] = [];
    for (const [index, file] of request.files.entries()) {
      const { name } = file;
      api.batchFiles.push(name);
      const bytes = Buffer.from(file.content, file.content_encoding === "base64" ? "base64" : "utf8");
      const refused = api.refuseUpload.get(name);
      if (refused) {
        results.push({ index, name, status: "refused", error: { code: refused.code, message: refused.message } });
        continue;
      }
      const old = [...documents.values()].find((d) => d.knowledge_base_id === kbId && d.name === name);
      if (old?.content_hash === sha256(bytes)) {
        results.push({ index, name, status: "unchanged", document: publicDoc(old) });
        continue;
      }
      if (old) documents.delete(old.id);
      const doc = storeDocument(kbId, name, bytes, file.content_type ?? "text/plain", file.tags ?? []);
      results.push({ index, name, status: old ? "replaced" : "created", document: publicDoc(doc) });
    }
    const count = (status: BatchUploadItem["status"]) => results.filter((r) => r.status === status).length;
    return {
      results,
      summary: {
        created: count("created"),
        unchanged: count("unchanged"),
        replaced: count("replaced"),
        refused: count("refused"),
      },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const route = `${req.method} ${url.pathname}`;
    api.requests.push(`${route}${url.search}`);
    const body = await readJson(req);
    if (body !== undefined) api.bodies.set(route, [...(api.bodies.get(route) ?? []), body]);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json", "X-Request-Id": "req_fake" });
      res.end(JSON.stringify(payload));
    };
    if (req.headers.authorization !== `Bearer ${API_KEY}`)
      return send(401, envelope("UNAUTHENTICATED", "Authentication required"));

    let m: RegExpExecArray | null;
    if (route === "GET /api/agents") {
      // Two per page, to exercise cursor pagination.
      const start = Number(url.searchParams.get("cursor") ?? 0);
      const page: AgentPage = {
        data: api.agents.slice(start, start + 2),
        next_cursor: start + 2 < api.agents.length ? String(start + 2) : null,
      };
      return send(200, page);
    }
    if (route === "POST /api/agents") {
      const b = body as Partial<AgentDefinition> & { name: string };
      const agent = agentOf(`agt_new${api.agents.length}`, b);
      api.agents.push(agent);
      return send(201, agent);
    }
    if ((m = /^GET \/api\/agents\/([^/]+)$/.exec(route))) {
      const agent = api.agents.find((a) => a.id === m?.[1]);
      return agent ? send(200, agent) : send(404, envelope("NOT_FOUND", "Agent not found"));
    }
    if ((m = /^GET \/api\/agents\/([^/]+)\/versions$/.exec(route))) {
      const agent = api.agents.find((a) => a.id === m?.[1]);
      if (!agent) return send(404, envelope("NOT_FOUND", "Agent not found"));
      return send(200, {
        data: [
          {
            agent_id: agent.id,
            version: 1,
            definition: agent.definition,
            created_by: "usr_test",
            created_at: NOW,
            current: true,
          },
        ],
        next_cursor: null,
      });
    }
    if (
      /^POST \/api\/agents\/[^/]+\/chat$/.test(route) ||
      /^POST \/api\/conversations\/conv_fake\/approvals\/[^/]+$/.test(route)
    ) {
      res.writeHead(200, {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache",
        "X-Conversation-Id": "conv_fake",
      });
      const script = api.chat;
      for (const e of script.events) res.write(frame(e));
      if (script.drop) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        res.socket?.destroy();
        return;
      }
      if (script.gate) {
        let cancelled = false;
        const stopped = new Promise<void>((resolve) => {
          cancelStream = () => {
            cancelled = true;
            resolve();
          };
        });
        await Promise.race([script.gate, stopped]);
        cancelStream = null;
        if (cancelled) {
          res.end(
            frame({
              type: "done",
              reason: "cancelled",
              message_id: "msg_fake",
              degraded: false,
              pending_approvals: [],
            }),
          );
          return;
        }
        for (const e of script.rest ?? []) res.write(frame(e));
      }
      res.end();
      return;
    }
    if ((m = /^POST \/api\/agents\/([^/]+)\/conversations$/.exec(route))) {
      if (!api.agents.some((a) => a.id === m?.[1])) return send(404, envelope("NOT_FOUND", "Agent not found"));
      const title = (body as { title?: string } | undefined)?.title ?? "";
      return send(201, {
        id: "conv_fake",
        agent_id: m[1],
        agent_version: 1,
        title,
        status: "idle",
        created_at: NOW,
        updated_at: NOW,
      });
    }
    if (route === "DELETE /api/conversations/conv_fake") {
      res.writeHead(204, { "X-Request-Id": "req_fake" });
      res.end();
      return;
    }
    if (route === "POST /api/conversations/conv_fake/cancel") {
      const running = cancelStream !== null;
      cancelStream?.();
      return send(200, { cancelled: running, status: running ? "running" : "idle" });
    }
    if (route === "GET /api/conversations/conv_fake") {
      return api.conversation
        ? send(200, api.conversation)
        : send(404, envelope("NOT_FOUND", "Conversation not found"));
    }
    if (route === "GET /api/knowledge-bases") return send(200, { data: api.knowledgeBases, next_cursor: null });
    if (route === "POST /api/knowledge-bases") {
      const b = body as { name: string; chunk_size: number; chunk_overlap: number };
      const kb = {
        ...kbOf(`kb_new${api.knowledgeBases.length}`, b.name),
        chunk_size: b.chunk_size,
        chunk_overlap: b.chunk_overlap,
      };
      api.knowledgeBases.push(kb);
      return send(201, kb);
    }
    if ((m = /^GET \/api\/knowledge-bases\/([^/]+)$/.exec(route))) {
      const kb = api.knowledgeBases.find((k) => k.id === m?.[1]);
      return kb ? send(200, kb) : send(404, envelope("NOT_FOUND", "Knowledge base not found"));
    }
    if ((m = /^POST \/api\/knowledge-bases\/([^/]+)\/documents$/.exec(route))) {
      const b = body as {
        name: string;
        content: string;
        content_encoding: string;
        content_type?: string;
        tags?: string[];
      };
      const refused = api.refuseUpload.get(b.name);
      if (refused) return send(refused.status, envelope(refused.code, refused.message));
      const bytes = Buffer.from(b.content, b.content_encoding === "base64" ? "base64" : "utf8");
      const doc = storeDocument(m[1] ?? "", b.name, bytes, b.content_type ?? "text/plain", b.tags ?? []);
      return send(202, { ...publicDoc(doc), action: "created" } satisfies UploadResult);
    }
    if ((m = /^POST \/api\/knowledge-bases\/([^/]+)\/documents\/batch$/.exec(route))) {
      const limit = api.limitBatches;
      if (limit.after) limit.after -= 1;
      else if (limit.count > 0) {
        limit.count -= 1;
        res.writeHead(429, {
          "Content-Type": "application/json",
          "Retry-After": limit.retryAfter,
          "RateLimit-Limit": "600",
          "RateLimit-Remaining": "0",
          "RateLimit-Reset": limit.retryAfter,
        });
        res.end(JSON.stringify(envelope("RATE_LIMITED", "Ingestion rate limit exceeded for this workspace")));
        return;
      }
      return send(200, batch(m[1] ?? "", body as BatchUploadRequest));
    }
    if ((m = /^GET \/api\/knowledge-bases\/([^/]+)\/documents$/.exec(route))) {
      const data = [...documents.values()].filter((d) => d.knowledge_base_id === m?.[1]).map(publicDoc);
      return send(200, { data, next_cursor: null });
    }
    if ((m = /^GET \/api\/knowledge-bases\/([^/]+)\/ingestion$/.exec(route))) {
      const docs = [...documents.values()].filter((d) => d.knowledge_base_id === m?.[1]);
      for (const doc of docs) if (doc.status === "queued" || doc.status === "processing") advance(doc);
      const counts = { queued: 0, processing: 0, ready: 0, failed: 0 };
      for (const doc of docs) counts[doc.status] += 1;
      return send(200, {
        counts,
        unchanged_last_hour: 0,
        rate_per_minute: counts.ready,
        in_flight: counts.queued + counts.processing > 0,
      });
    }
    if ((m = /^POST \/api\/knowledge-bases\/([^/]+)\/documents\/fetch$/.exec(route))) {
      // Like the Worker's guard for the cases the CLI test needs: https only; a sitemap lists two pages.
      const b = body as { urls?: string[]; sitemap?: string };
      const urls = b.sitemap ? [new URL("a", b.sitemap).href, new URL("b", b.sitemap).href] : (b.urls ?? []);
      const out: FetchDocumentsResponse = { queued: [], refused: [] };
      for (const url of urls) {
        if (!url.startsWith("https://")) {
          out.refused.push({ url, error: { code: "URL_NOT_ALLOWED", message: "Only https:// URLs may be fetched" } });
          continue;
        }
        const id = `doc_${documents.size + 1}`;
        documents.set(id, {
          id,
          knowledge_base_id: m[1] ?? "",
          name: url,
          content_type: "text/html",
          size_bytes: 0,
          content_hash: `pending:${id}`,
          char_count: 0,
          tags: [],
          status: "queued",
          progress: 0,
          error: null,
          chunk_count: 0,
          attempts: 0,
          source_url: url,
          checked_at: null,
          created_at: NOW,
          updated_at: NOW,
          polls: 0,
        });
        out.queued.push({ url, document_id: id });
      }
      return send(202, out);
    }
    if ((m = /^GET \/api\/knowledge-bases\/[^/]+\/documents\/([^/]+)$/.exec(route))) {
      const doc = documents.get(m[1] ?? "");
      if (!doc) return send(404, envelope("NOT_FOUND", "Document not found"));
      advance(doc);
      return send(200, publicDoc(doc));
    }
    if (/^POST \/api\/knowledge-bases\/[^/]+\/search$/.test(route)) {
      return api.search
        ? send(200, api.search)
        : send(503, envelope("UNAVAILABLE", "Search is temporarily unavailable"));
    }
    send(404, envelope("NOT_FOUND", `No route for ${route}`));
  }

  const server = await listenLocal((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify(envelope("INTERNAL", err instanceof Error ? err.message : String(err))));
    });
  });
  return Object.assign(api, server);
}
