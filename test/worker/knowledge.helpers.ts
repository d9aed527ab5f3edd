// Shared steps for the knowledge tests: a signed-in user, knowledge bases, uploads through the
// public API, and ingestion run the way the queue consumer runs it.
import { env, SELF } from "cloudflare:test";
import { ingestDocument } from "../../worker/knowledge/ingest";
import type { KnowledgeBase, KnowledgeDocument, SearchResponse, UploadResult } from "../../worker/knowledge/schemas";
import { type ApiResult, api, BASE, createUser, expectStatus, token } from "./helpers/harness";

export interface Caller {
  token: string;
  workspaceId: string;
  userId: string;
}

export async function signedInUser(): Promise<Caller> {
  const user = await createUser();
  const t = await token(user.email, user.password);
  return { token: t.access_token, workspaceId: user.personalWorkspaceId, userId: user.id };
}

/** A knowledge base made by whoever holds `caller.token` (a team member's token works as well as a Caller). */
export function createKb(caller: Pick<Caller, "token">, body: Record<string, unknown> = {}): Promise<KnowledgeBase> {
  return expectStatus<KnowledgeBase>(201, "POST", "/api/knowledge-bases", {
    token: caller.token,
    body: { name: "Aerodynamics", ...body },
  });
}

export function uploadJson(
  caller: Caller,
  kbId: string,
  body: Record<string, unknown>,
): Promise<ApiResult<UploadResult>> {
  return api<UploadResult>("POST", `/api/knowledge-bases/${kbId}/documents`, { token: caller.token, body });
}

export async function uploadText(
  caller: Caller,
  kbId: string,
  name: string,
  content: string,
  extra: Record<string, unknown> = {},
): Promise<UploadResult> {
  const res = await uploadJson(caller, kbId, { name, content, ...extra });
  if (res.status !== 202) throw new Error(`upload ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function uploadMultipart(
  caller: Caller,
  kbId: string,
  file: { name: string; type: string; bytes: Uint8Array | string },
  fields: Record<string, string> = {},
  opts: { method?: "POST" | "PUT"; docId?: string } = {},
): Promise<ApiResult<UploadResult>> {
  const form = new FormData();
  form.append("file", new File([file.bytes], file.name, { type: file.type }));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const path = `/api/knowledge-bases/${kbId}/documents${opts.docId ? `/${opts.docId}` : ""}`;
  const res = await SELF.fetch(`${BASE}${path}`, {
    method: opts.method ?? "POST",
    body: form,
    headers: { Authorization: `Bearer ${caller.token}` },
  });
  return { status: res.status, body: (await res.json()) as UploadResult, headers: res.headers };
}

/** Runs the ingest handler for a document exactly as the queue consumer would. */
export async function ingest(caller: Caller, documentId: string, attempt = 1): Promise<void> {
  await ingestDocument(
    { type: "ingest_document", v: 1, workspaceId: caller.workspaceId, documentId, requestId: "req_test_ingest" },
    env,
    attempt,
  );
}

/** Uploads a text document and ingests it, so it is ready to search. */
export async function uploadIngested(
  caller: Caller,
  kbId: string,
  name: string,
  content: string,
): Promise<UploadResult> {
  const doc = await uploadText(caller, kbId, name, content);
  await ingest(caller, doc.id);
  return doc;
}

/** The extracted text the API keeps for a document (`?include_text=true`). */
export async function documentText(caller: Pick<Caller, "token">, kbId: string, docId: string): Promise<string> {
  const doc = await expectStatus<{ text: string }>(
    200,
    "GET",
    `/api/knowledge-bases/${kbId}/documents/${docId}?include_text=true`,
    { token: caller.token },
  );
  return doc.text;
}

export function getDocument(caller: Caller, kbId: string, docId: string): Promise<KnowledgeDocument> {
  return expectStatus<KnowledgeDocument>(200, "GET", `/api/knowledge-bases/${kbId}/documents/${docId}`, {
    token: caller.token,
  });
}

export function search(caller: Caller, kbId: string, body: Record<string, unknown>): Promise<SearchResponse> {
  return expectStatus<SearchResponse>(200, "POST", `/api/knowledge-bases/${kbId}/search`, {
    token: caller.token,
    body,
  });
}

/** Rows a document left in every store: D1 chunks, document text, FTS index entries, vectors. */
export async function footprint(kbId: string, documentId: string, ftsTerm: string) {
  const chunks = await env.DB.prepare("SELECT count(*) AS n FROM chunks WHERE document_id = ?")
    .bind(documentId)
    .first<{ n: number }>();
  const texts = await env.DB.prepare("SELECT count(*) AS n FROM document_texts WHERE document_id = ?")
    .bind(documentId)
    .first<{ n: number }>();
  const fts = await env.DB.prepare("SELECT count(*) AS n FROM chunks_fts WHERE chunks_fts MATCH ?")
    .bind(`"${ftsTerm}"`)
    .first<{ n: number }>();
  const vectors = await env.VECTOR_INDEX.getByName(kbId).describe();
  return { chunks: chunks?.n ?? 0, texts: texts?.n ?? 0, fts: fts?.n ?? 0, vectors: vectors.count };
}
