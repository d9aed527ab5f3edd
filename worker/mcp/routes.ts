// POST /mcp: a stateless Streamable HTTP MCP endpoint (createMcpHandler from agents/mcp/server).
// Authentication and the permission table run first, like every route; the handler gets the
// validated JSON-RPC body and the caller as authInfo. Tool calls that run a model are charged to
// the chat class and held to the workspace's token budget, one by one, like chat messages. GET (the optional server-to-client
// stream) is not offered: the Worker answers 405 and MCP clients carry on without it.
import { createRoute, z } from "@hono/zod-openapi";
import { createMcpHandler } from "agents/mcp/server";
import { ErrorSchema, jsonBody, jsonResponse, type Router } from "../core/openapi";
import { signedIn } from "../core/signed-in";
import { admitModelCalls } from "../ratelimit/middleware";
import { buildMcpServer, MODEL_TOOLS } from "./server";

const JsonRpcMessage = z
  .object({
    jsonrpc: z.literal("2.0"),
    method: z.string().max(200).optional(),
    id: z.union([z.string().max(200), z.number()]).optional(),
    params: z.unknown().optional(),
  })
  .loose();
/** A batch's calls run inside one request; a short cap keeps one request from fanning out. */
const MAX_BATCH = 10;
export const McpRequest = z
  .union([JsonRpcMessage, z.array(JsonRpcMessage).min(1).max(MAX_BATCH)])
  .openapi("McpJsonRpc");
type McpBody = z.infer<typeof McpRequest>;

/** How many of the request's messages call a tool that runs a model: each is charged like a chat message. */
function modelCalls(body: McpBody): number {
  const messages = Array.isArray(body) ? body : [body];
  return messages.filter((m) => {
    if (m.method !== "tools/call" || typeof m.params !== "object" || m.params === null) return false;
    const name: unknown = (m.params as { name?: unknown }).name;
    return typeof name === "string" && MODEL_TOOLS.has(name);
  }).length;
}

const hostname = (origin: string) => new URL(origin).hostname;

/**
 * The handler checks Host (DNS-rebinding protection for local servers). Requests that reach the
 * Worker without one (service bindings, SELF in tests) get the host they were addressed to.
 * The body was already read and validated; it travels as `parsedBody`.
 */
function withHost(request: Request): Request {
  if (request.headers.has("Host")) return request;
  const headers = new Headers(request.headers);
  headers.set("Host", new URL(request.url).host);
  return new Request(request.url, { method: request.method, headers });
}

export function registerMcp(app: Router) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/mcp",
      tags: ["mcp"],
      security: [{ bearer: [] }],
      summary: "Model Context Protocol (Streamable HTTP, stateless): tools list_agents and chat_with_agent",
      request: { body: jsonBody(McpRequest) },
      responses: {
        200: { description: "JSON-RPC response (application/json or text/event-stream)" },
        202: { description: "Notification accepted" },
        400: jsonResponse(ErrorSchema, `Not JSON-RPC, or a batch of more than ${MAX_BATCH} messages`),
        401: jsonResponse(ErrorSchema, "Bearer API key or JWT required"),
        429: jsonResponse(
          ErrorSchema,
          "Too many model calls for this credential, or the workspace's model tokens are spent",
        ),
      },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const body = c.req.valid("json");
      // Charged before anything runs: the whole batch is admitted, or none of it.
      await admitModelCalls(c, modelCalls(body));
      const config = c.var.config;
      const handler = createMcpHandler(() => buildMcpServer(c, p), {
        route: "/mcp",
        // The Worker's own CORS middleware already answered for /mcp.
        corsOptions: false,
        allowedOriginHostnames: [...new Set([hostname(config.PUBLIC_ORIGIN), ...config.CORS_ORIGINS.map(hostname)])],
      });
      return handler.fetch(withHost(c.req.raw), {
        parsedBody: body,
        authInfo: {
          token: p.credentialId,
          clientId: p.userId,
          scopes: [...p.scopes],
          extra: { workspaceId: p.workspaceId, role: p.role, via: p.via },
        },
      });
    },
  );
}
