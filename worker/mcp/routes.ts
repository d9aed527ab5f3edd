// POST /mcp: a stateless Streamable HTTP MCP endpoint (createMcpHandler from agents/mcp/server).
// Authentication and the permission table run first, like every route; the handler gets the
// validated JSON-RPC body and the caller as authInfo. GET (the optional server-to-client
// stream) is not offered: the Worker answers 405 and MCP clients carry on without it.
import { createRoute, z } from "@hono/zod-openapi";
import { createMcpHandler } from "agents/mcp/server";
import { signedIn } from "../agents/access";
import { jsonBody, jsonResponse, ErrorSchema, type Router } from "../core/openapi";
import { buildMcpServer } from "./server";

const JsonRpcMessage = z
  .object({ jsonrpc: z.literal("2.0"), method: z.string().max(200).optional(), id: z.union([z.string().max(200), z.number()]).optional(), params: z.unknown().optional() })
  .loose();
export const McpRequest = z.union([JsonRpcMessage, z.array(JsonRpcMessage).min(1).max(50)]).openapi("McpJsonRpc");

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
        401: jsonResponse(ErrorSchema, "Bearer API key or JWT required"),
      },
    }),
    async (c) => {
      const p = signedIn(c.var.principal);
      const config = c.var.config;
      const handler = createMcpHandler(() => buildMcpServer(c, p), {
        route: "/mcp",
        // The Worker's own CORS middleware already answered for /mcp.
        corsOptions: false,
        allowedOriginHostnames: [...new Set([hostname(config.PUBLIC_ORIGIN), ...config.CORS_ORIGINS.map(hostname)])],
      });
      return handler.fetch(withHost(c.req.raw), {
        parsedBody: c.req.valid("json"),
        authInfo: { token: p.credentialId, clientId: p.userId, scopes: [...p.scopes], extra: { workspaceId: p.workspaceId, role: p.role, via: p.via } },
      });
    },
  );
}
