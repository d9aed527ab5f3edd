// Turns the OpenAPI document (plus the permission table's routes it does not describe) into
// seeded requests: valid, boundary and malformed bodies in every content type, hostile path
// and query values (over 512 bytes, unicode, %00, ../), odd methods and headers, each sent as
// one of the fixture's principals. Pure TypeScript: the workerd tests and bench/ share it.
import { HOSTILE_STRINGS, type Random } from "./random";
import { type JsonSchema, type Mode, type Resolve, valueFor } from "./schema-values";

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface Operation {
  method: string;
  /** "/api/agents/{id}" */
  template: string;
  query: { name: string; schema: JsonSchema }[];
  /** Declared body schemas by content type; empty when the route takes no body. */
  bodies: Record<string, JsonSchema>;
}

export interface FuzzPrincipal {
  name: string;
  headers: Record<string, string>;
}

export interface FuzzContext {
  principals: FuzzPrincipal[];
  /** Real ids by path parameter name, so requests also reach the handlers behind the lookups. */
  ids: Record<string, string[]>;
  /** Ids a write must not target: the fixture's own workspace, key and members stay usable. */
  protectedIds: ReadonlySet<string>;
  /** The dashboard's origin (cookie writes need it). */
  origin: string;
}

export interface FuzzRequest {
  /** "POST /api/agents/{id}/chat", for counting. */
  route: string;
  method: string;
  /** Path and query, already encoded as sent. */
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  principal: string;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
/** Ends the caller's own credential: sent without one, so the run keeps its principals. */
const SELF_ENDING = new Set(["POST /api/auth/logout"]);

/** Every operation in the document, plus table routes ("GET /api/x/:id") it leaves out. */
export function operationsOf(doc: OpenApiDocument, tableRoutes: readonly string[]): Operation[] {
  const ops: Operation[] = [];
  for (const [template, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const bodies: Record<string, JsonSchema> = {};
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) bodies[type] = media.schema ?? {};
      ops.push({
        method: method.toUpperCase(),
        template,
        query: (op.parameters ?? [])
          .filter((p) => p.in === "query")
          .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        bodies,
      });
    }
  }
  const known = new Set(ops.map((o) => `${o.method} ${o.template}`));
  for (const route of tableRoutes) {
    const [method = "GET", path = "/"] = route.split(" ");
    const template = path.replaceAll(/:([A-Za-z_]+)/g, "{$1}");
    for (const m of method === "ALL" ? ["GET", "POST"] : [method]) {
      if (!known.has(`${m} ${template}`)) ops.push({ method: m, template, query: [], bodies: {} });
    }
  }
  return ops;
}

/** encodeURIComponent that survives lone surrogates (sent as U+FFFD). */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, "\ufffd"));
  }
}

/** Sent almost as typed: only what would end the path (?, #) or cannot be on the wire is encoded. */
function raw(value: string): string {
  return [...value]
    .map((ch) => (/[?#\s\u0000-\u001f\u007f-\uffff]/u.test(ch) || ch.length > 1 ? encode(ch) : ch))
    .join("");
}

const headerSafe = HOSTILE_STRINGS.filter((s) => /^[\x20-\x7e]*$/.test(s));

function pathValue(r: Random, name: string, ctx: FuzzContext, write: boolean): string {
  const known = (ctx.ids[name] ?? []).filter((id) => !write || !ctx.protectedIds.has(id));
  const roll = r.next();
  if (roll < 0.45 && known.length) return encode(r.pick(known));
  if (roll < 0.75) return r.chance(0.5) ? encode(r.pick(HOSTILE_STRINGS)) : raw(r.pick(HOSTILE_STRINGS)) || "x";
  if (name === "version") return String(r.pick([0, 1, 2, -1, 1_000_001, 99]));
  return encode(`${r.pick(["agt", "kb", "doc", "ws", "usr", "key", "conv", "run", "flag"])}_${r.string(r.int(1, 30))}`);
}

function queryString(r: Random, op: Operation, resolve: Resolve): string {
  const parts: string[] = [];
  for (const q of op.query) {
    if (!r.chance(0.6)) continue;
    const mode: Mode = r.pick(["valid", "valid", "boundary", "malformed"]);
    const value = valueFor(r, q.schema, resolve, mode);
    parts.push(`${encode(q.name)}=${encode(typeof value === "string" ? value : (JSON.stringify(value) ?? ""))}`);
    if (r.chance(0.05)) parts.push(`${encode(q.name)}=${encode(r.pick(HOSTILE_STRINGS))}`);
  }
  if (r.chance(0.15))
    parts.push(
      `${encode(r.pick(["q", "limit", "cursor", "x", "__proto__", r.string(3)]))}=${encode(r.pick(HOSTILE_STRINGS))}`,
    );
  if (r.chance(0.05)) parts.push(raw(r.pick(HOSTILE_STRINGS)));
  return parts.length ? `?${parts.join("&")}` : "";
}

function multipart(r: Random, schema: JsonSchema | undefined, resolve: Resolve): { type: string; body: Uint8Array } {
  const boundary = `----fuzz${r.string(12)}`;
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const props = (schema?.$ref ? resolve(schema.$ref) : schema)?.properties ?? {
    file: { type: "string", format: "binary" },
  };
  for (const [name, prop] of Object.entries(props)) {
    if (!r.chance(name === "file" ? 0.9 : 0.5)) continue;
    if (prop.format === "binary") {
      const filename = r.pick([
        "notes.txt",
        "page.html",
        "data.json",
        "scan.pdf",
        "../../etc/passwd",
        "🐝.md",
        `${"a".repeat(300)}.txt`,
        "noext",
        "",
      ]);
      const type = r.pick([
        "text/plain",
        "text/html",
        "application/json",
        "application/pdf",
        "application/octet-stream",
        "image/png",
        "",
      ]);
      const content = r.chance(0.6)
        ? enc.encode(r.pick(["Hello fuzz.", '{"a":1}', "<p>hi</p>", "%PDF-1.4\n%garbage", r.string(r.int(0, 2000))]))
        : r.bytes(r.int(0, 3000));
      chunks.push(
        enc.encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n${type ? `Content-Type: ${type}\r\n` : ""}\r\n`,
        ),
        content,
        enc.encode("\r\n"),
      );
    } else {
      const v = valueFor(r, prop, resolve, r.pick(["valid", "boundary", "malformed"] as const));
      chunks.push(
        enc.encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${typeof v === "string" ? v : (JSON.stringify(v) ?? "")}\r\n`,
        ),
      );
    }
  }
  // Now and then the closing boundary is missing or wrong.
  chunks.push(enc.encode(r.chance(0.9) ? `--${boundary}--\r\n` : `--other--\r\n`));
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return { type: r.chance(0.95) ? `multipart/form-data; boundary=${boundary}` : "multipart/form-data", body };
}

/** Returns the body and its Content-Type (undefined: none sent). */
function bodyFor(r: Random, op: Operation, resolve: Resolve): { type?: string; body?: string | Uint8Array } {
  const json = op.bodies["application/json"];
  const hasMultipart = "multipart/form-data" in op.bodies;
  const roll = r.next();
  const jsonText = (mode: Mode) => JSON.stringify(valueFor(r, json ?? {}, resolve, mode)) ?? "null";
  if (roll < (hasMultipart ? 0.25 : 0.4)) return { type: "application/json", body: jsonText("valid") };
  if (roll < 0.55) return { type: "application/json", body: jsonText("boundary") };
  if (roll < 0.62) return { type: "application/json", body: jsonText("malformed") };
  if (roll < 0.69)
    return {
      type: "application/json",
      body: r.pick([
        "{",
        "[1,",
        "nul",
        '{"a":}',
        "\u0000",
        "",
        "[".repeat(5000),
        `{"name":"${"\\u0000".repeat(10)}"}`,
        '{"__proto__":{"admin":true}}',
      ]),
    };
  if (roll < (hasMultipart ? 0.85 : 0.74)) return multipart(r, op.bodies["multipart/form-data"], resolve);
  if (roll < 0.8) return { type: r.pick(["text/plain", "text/plain; charset=utf-8"]), body: jsonText("valid") };
  if (roll < 0.84)
    return { type: "application/x-www-form-urlencoded", body: `name=${encode(r.pick(HOSTILE_STRINGS))}&x=1` };
  if (roll < 0.88) return { type: "application/octet-stream", body: r.bytes(r.int(0, 512)) };
  if (roll < 0.92) return { body: jsonText("valid") };
  if (roll < 0.97)
    return {
      type: r.pick([
        "application/json; charset=utf-16",
        "application/vnd.api+json",
        "application/xml",
        "???",
        "multipart/mixed",
      ]),
      body: jsonText("valid"),
    };
  if (roll < 0.985) return { type: "application/json", body: JSON.stringify({ name: "x".repeat(1_100_000) }) };
  return { type: "application/json", body: `{"name":"${"🐝".repeat(2000)}"}` };
}

function extraHeaders(r: Random, ctx: FuzzContext): Record<string, string> {
  const h: Record<string, string> = {};
  if (r.chance(0.08)) h["X-Workspace-Id"] = r.chance(0.5) ? r.pick(ctx.ids.id ?? ["ws_x"]) : r.pick(headerSafe);
  if (r.chance(0.05)) h["X-Request-Id"] = r.pick(headerSafe);
  if (r.chance(0.05)) h["Cache-Control"] = "no-cache";
  if (r.chance(0.03)) h.Accept = r.pick(["text/event-stream", "*/*", "application/xml", "text/html"]);
  if (r.chance(0.03)) h.Origin = r.pick(["https://evil.example", "null", ctx.origin]);
  return h;
}

function randomPath(r: Random): string {
  return r.pick([
    `/api/${raw(r.pick(HOSTILE_STRINGS))}`,
    `/${encode(r.pick(HOSTILE_STRINGS))}`,
    "/api/agents/a/b/c/d/e",
    "/api//agents",
    "/api/agents/",
    "/v1/unknown",
    "/mcp/extra",
    `/agents/${raw(r.pick(HOSTILE_STRINGS))}`,
    "/api/../health",
    "/%2e%2e/%2e%2e/etc/passwd",
  ]);
}

/** One seeded request against a random operation, as a random principal. */
export function nextRequest(r: Random, ops: readonly Operation[], ctx: FuzzContext, resolve: Resolve): FuzzRequest {
  const principal = r.pick(ctx.principals);
  if (r.chance(0.03)) {
    const method = r.pick(METHODS);
    return {
      route: "(unrouted)",
      method,
      url: randomPath(r),
      headers: { ...principal.headers },
      principal: principal.name,
    };
  }
  const op = r.pick(ops);
  const method = r.chance(0.08) ? r.pick(METHODS) : op.method;
  const write = !["GET", "HEAD", "OPTIONS"].includes(method);
  const path = op.template.replaceAll(/{([^}]+)}/g, (_m, name: string) => pathValue(r, name, ctx, write));
  const route = `${method} ${op.template}`;
  const who = SELF_ENDING.has(`${op.method} ${op.template}`) ? { name: "none", headers: {} } : principal;
  const headers: Record<string, string> = { ...who.headers, ...extraHeaders(r, ctx) };
  if (method === "OPTIONS") {
    headers.Origin ??= ctx.origin;
    headers["Access-Control-Request-Method"] = r.pick(["POST", "DELETE", "PATCH"]);
  }
  let body: string | Uint8Array | undefined;
  if ((write && (Object.keys(op.bodies).length || r.chance(0.3))) || (method === "GET" && r.chance(0.01))) {
    const b = bodyFor(r, op, resolve);
    if (method !== "GET") body = b.body;
    if (b.type) headers["Content-Type"] = b.type;
  }
  // Cookie writes come from the dashboard's origin unless the draw above chose another.
  if (write && who.headers.Cookie) headers.Origin ??= ctx.origin;
  return {
    route,
    method,
    url: path + queryString(r, op, resolve),
    headers,
    ...(body === undefined ? {} : { body }),
    principal: who.name,
  };
}

/** Resolves local `$ref`s against the document. */
export function resolverFor(doc: OpenApiDocument): Resolve {
  return (ref) => doc.components?.schemas?.[ref.replace("#/components/schemas/", "")] ?? {};
}
