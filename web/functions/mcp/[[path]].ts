// /mcp: the MCP server.
import { forwardToApi } from "../_shared/forward";

export const onRequest = forwardToApi;
