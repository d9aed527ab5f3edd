// A ToolContext for calling tools directly in tests, with the test configuration and a fetch
// the test supplies (tools never reach the real network here).
import { env } from "cloudflare:test";
import { type Config, getConfig } from "../../../worker/core/config";
import type { ToolContext } from "../../../worker/tools/types";

export function toolContext(
  overrides: { fetch?: typeof fetch; config?: Partial<Config>; signal?: AbortSignal } = {},
): ToolContext {
  return {
    env,
    config: { ...getConfig(env), ...overrides.config },
    workspaceId: "ws_test",
    agentId: "agt_test",
    knowledgeBaseIds: [],
    signal: overrides.signal ?? new AbortController().signal,
    fetch: overrides.fetch ?? (async () => new Response("no network in tests", { status: 599 })),
  };
}
