export interface CheckResult {
  ok: boolean;
  latency_ms: number;
  error?: string;
}

const TIMEOUT_MS = 3000;

async function timed(fn: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latency_ms: Math.round(performance.now() - started) };
  } catch (err) {
    return {
      ok: false,
      latency_ms: Math.round(performance.now() - started),
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(env: Env, requestId: string): Promise<Record<string, CheckResult>> {
  const [d1, kv, durableObjects] = await Promise.all([
    timed(() => env.DB.prepare("SELECT 1 AS ok").first()),
    timed(() => env.CACHE.get("health:probe")),
    timed(async () => {
      const pong = await env.VECTOR_INDEX.getByName("health").ping(requestId);
      if (pong.requestId !== requestId) throw new Error("Durable Object answered for another request");
    }),
  ]);
  return { d1, kv, durable_objects: durableObjects };
}
