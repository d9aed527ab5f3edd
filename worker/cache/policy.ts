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

/** POST routes that only read (searches): they must not invalidate the resource they read. */
export const READ_ONLY_POSTS: ReadonlySet<string> = new Set(["POST /api/knowledge-bases/:id/search"]);

/** "/api/agents/agt_1/versions" → "agents"; null outside /api. */
export function resourceOf(path: string): string | null {
  const m = path.match(/^\/api\/([a-z-]+)/);
  return m ? (m[1] as string) : null;
}
