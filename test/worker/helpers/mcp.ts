// An MCP client that reaches the Worker's /mcp endpoint through SELF.fetch, as an MCP host would
// over HTTP: for the tests of the MCP server and of what its tools share with chat.
import { SELF } from "cloudflare:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { BASE } from "./harness";

export function mcpTransport(headers: Record<string, string> = {}): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), {
    fetch: (input, init) => SELF.fetch(input, init),
    requestInit: { headers },
  });
}

/** A connected client sending `bearer` (an access token or API key); `name` is the client it says it is. */
export async function connectMcp(bearer: string, name = "liquid-hive-test"): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(mcpTransport({ Authorization: `Bearer ${bearer}` }));
  return client;
}
