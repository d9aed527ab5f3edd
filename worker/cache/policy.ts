// Which GET routes are served from the response cache, and which resource their answers
// depend on. A successful write anywhere under /api/<resource> invalidates that resource for
// the workspace. Conversations, audit and auth answers change outside these writes and are
// never cached.
export const CACHEABLE_ROUTES: Readonly<Record<string, string>> = {
  "GET /api/agents": "agents",
  "GET /api/agents/:id": "agents",
  "GET /api/agents/:id/versions": "agents",
  "GET /api/knowledge-bases": "knowledge-bases",
  "GET /api/knowledge-bases/:id": "knowledge-bases",
};

/**
 * POST routes that do not change what the cached reads show: searches, the safety playground
 * (it stores nothing), and chat (it writes conversations, which are never cached, and token
 * totals, which cached agent reads may show up to one TTL old). Skipping them also keeps a KV
 * write off the path of a chat stream. The rate limiter counts them as reads.
 */
export const READ_ONLY_POSTS: ReadonlySet<string> = new Set([
  "POST /api/knowledge-bases/:id/search",
  "POST /api/agents/:id/chat",
  "POST /api/safety/check",
]);

/** "/api/agents/agt_1/versions" → "agents"; null outside /api. */
export function resourceOf(path: string): string | null {
  const m = path.match(/^\/api\/([a-z-]+)/);
  return m ? (m[1] as string) : null;
}
